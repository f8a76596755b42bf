package apptest

import (
	"context"
	"testing"

	"retkoop/app/bank"
	"retkoop/app/demo"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// bankBook is coop A's compte courant in June–August 2026 (opening
// 1 000,00 €), the operations a bank statement will pay: three deposits
// of 50,00 € of which the bank credits two together (which two is for the
// mandataire to say), the third not yet at the end of September.
type bankBook struct {
	cheque1001, remise, subvention, carte, remiseA, remiseB, remiseC, cheque1002 int64
}

func (w *world) seedBankBook() bankBook {
	w.t.Helper()
	op := func(kind ledger.Kind, date, piece, libelle string, mode ledger.Mode, amount, account, cheque string) int64 {
		m := money.MustParse(amount)
		return w.addOp(w.coopA, ledger.Operation{Date: tday(date), Piece: piece, Libelle: libelle, Kind: kind, Mode: mode,
			Cheque: cheque, Treasury: ledger.Banque, Amount: m, Lines: []ledger.Line{{Account: account, Amount: m}}})
	}
	return bankBook{
		cheque1001: op(ledger.Depense, "10/06/2026", "B1", "Librairie : albums", ledger.Cheque, "45,00", "60600008", "1001"),
		remise:     op(ledger.Recette, "12/06/2026", "B2", "Photos : remise de chèques", ledger.Remise, "120,00", "70700008", ""),
		subvention: op(ledger.Recette, "15/06/2026", "B3", "Subvention de la mairie", ledger.Virement, "300,00", "74400008", ""),
		carte:      op(ledger.Depense, "20/06/2026", "B4", "Fournitures", ledger.Carte, "35,20", "60600008", ""),
		remiseA:    op(ledger.Recette, "01/07/2026", "B5", "Sortie : chèques des familles (CP)", ledger.Remise, "50,00", "70800008", ""),
		remiseB:    op(ledger.Recette, "02/07/2026", "B6", "Sortie : chèques des familles (CE1)", ledger.Remise, "50,00", "70800008", ""),
		remiseC:    op(ledger.Recette, "03/07/2026", "B8", "Sortie : chèques des familles (CE2)", ledger.Remise, "50,00", "70800008", ""),
		cheque1002: op(ledger.Depense, "25/08/2026", "B7", "Autocar de la sortie de fin d'année", ledger.Cheque, "80,00", "62510008", "1002"),
	}
}

// bankStatementLines is what the bank shows of seedBankBook, plus a fee
// the book lacks; the cheque of 25/08 is cashed on 10/09.
var bankStatementLines = []demo.DemoLine{
	{Date: tday("14/06/2026"), Amount: -4500, Name: "CHEQUE 1001", TrnType: "CHECK", CheckNum: "1001"},
	{Date: tday("14/06/2026"), Amount: 12000, Name: "REMISE CHEQUES 0004512", TrnType: "DEP"},
	{Date: tday("16/06/2026"), Amount: 30000, Name: "VIR SEPA MAIRIE DE TOULOUSE SUBVENTION", TrnType: "CREDIT"},
	{Date: tday("23/06/2026"), Amount: -3520, Name: "CB PAPETERIE DU CENTRE 20/06", TrnType: "POS"},
	{Date: tday("06/07/2026"), Amount: 10000, Name: "REMISE CHEQUES 0004513", TrnType: "DEP"},
	{Date: tday("20/08/2026"), Amount: -800, Name: "FRAIS COMMISSION INTERVENTION", TrnType: "SRVCHG"},
	{Date: tday("10/09/2026"), Amount: -8000, Name: "CHEQUE 1002", TrnType: "CHECK", CheckNum: "1002"},
}

// bankOFX is the statement of June to September 2026 of coop A's account,
// opening at 1 000,00 € and closing at 1 351,80 €.
func bankOFX() []byte {
	return demo.DemoOFX("FR7630006000011234567890189", tday("01/06/2026"), tday("30/09/2026"), money.MustParse("1351,80"), bankStatementLines)
}

// importBankOFX imports bankOFX for coop A through the service.
func (w *world) importBankOFX() service.BankSummary {
	w.t.Helper()
	res, err := service.ImportBank(context.Background(), w.coopScopeOf(w.coopA), service.BankFile{Name: "releve.ofx", Data: bankOFX()})
	if err != nil {
		w.t.Fatal(err)
	}
	return res
}

// bankLines returns coop A's bank lines by date.
func (w *world) bankLines() []store.BankLine {
	w.t.Helper()
	ls, err := w.coopScopeOf(w.coopA).BankLines(context.Background(), store.BankLineFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	return ls
}

// lineByLabel finds one of coop A's bank lines.
func (w *world) lineByLabel(t *testing.T, label string) store.BankLine {
	t.Helper()
	for _, l := range w.bankLines() {
		if l.Label == label {
			return l
		}
	}
	t.Fatalf("no bank line %q", label)
	return store.BankLine{}
}

// etat is coop A's état de rapprochement at date.
func (w *world) etat(date string) (bank.Rapprochement, bool) {
	w.t.Helper()
	r, ok, err := w.app.Rapprochement(context.Background(), w.coopScopeOf(w.coopA), tday(date))
	if err != nil {
		w.t.Fatal(err)
	}
	return r, ok
}
