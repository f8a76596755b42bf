package apptest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"retkoop/app/bank"
	"retkoop/app/demo"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// TestBankImportMatchesAndReconciles is the whole story on coop A: the
// import ticks the sure lines, proposes the others, leaves the fee
// unmatched; re-importing adds nothing; after confirming the proposals and
// creating the fee, the état de rapprochement at 31 August has no gap, the
// cheque cashed in September being the only open item.
func TestBankImportMatchesAndReconciles(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	b := w.seedBankBook()

	res := w.importBankOFX()
	want := service.BankSummary{Lignes: 7, Nouvelles: 7, PointeesAuto: 4, Proposees: 2, NonRapprochees: 1}
	want.StatementID = res.StatementID
	if res != want {
		t.Fatalf("first import %+v, want %+v", res, want)
	}
	if again := w.importBankOFX(); again.Lignes != 7 || again.Nouvelles != 0 || again.Doublons != 7 || again.PointeesAuto != 0 {
		t.Fatalf("re-import %+v: must add nothing", again)
	}
	if sts, _ := cs.BankStatements(ctx); len(sts) != 1 || sts[0].Closing == nil || *sts[0].Closing != money.MustParse("1351,80") {
		t.Fatalf("statements after re-import: %+v", sts)
	}
	ops := map[int64]ledger.Operation{}
	for _, op := range w.bookOf(w.coopA) {
		ops[op.ID] = op
	}
	if tk := ops[b.cheque1001].Ticked; tk == nil || !tk.Equal(tday("14/06/2026")) {
		t.Fatalf("cheque 1001 ticked %v, want the line's date", tk)
	}
	if tk := ops[b.cheque1002].Ticked; tk == nil || !tk.Equal(tday("10/09/2026")) {
		t.Fatalf("cheque 1002 ticked %v, want 10/09 (cashed in September)", tk)
	}
	if ops[b.carte].Ticked != nil || ops[b.remiseA].Ticked != nil {
		t.Fatal("proposed operations are ticked before confirmation")
	}

	r, covered := w.etat("31/08/2026")
	if !covered || r.SoldeReleve != money.MustParse("1431,80") || r.Balanced() {
		t.Fatalf("before confirmation: covered %v, %+v", covered, r)
	}

	card := w.lineByLabel(t, "CB PAPETERIE DU CENTRE 20/06")
	deposit := w.lineByLabel(t, "REMISE CHEQUES 0004513")
	if card.Status != store.BankProposed || deposit.Status != store.BankProposed ||
		len(deposit.Proposal.EntryIDs) != 2 || len(deposit.Proposal.Alternatives) == 0 {
		t.Fatalf("proposals: card %+v, deposit %+v", card.Proposal, deposit.Proposal)
	}
	if err := service.ConfirmProposal(ctx, cs, card.ID, 0); err != nil {
		t.Fatal(err)
	}
	alt := deposit.Proposal.Alternatives[0]
	if err := service.ConfirmProposal(ctx, cs, deposit.ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := w.lineByLabel(t, "REMISE CHEQUES 0004513").OperationIDs(); len(got) != 2 || got[0] != alt[0] || got[1] != alt[1] {
		t.Fatalf("deposit paired with %v, want the alternative chosen %v", got, alt)
	}
	var inv *fault.Invalid
	if err := service.ConfirmProposal(ctx, cs, card.ID, 0); !errors.As(err, &inv) {
		t.Fatalf("confirming twice: %v", err)
	}
	fee := w.lineByLabel(t, "FRAIS COMMISSION INTERVENTION")
	if fee.Status != store.BankUnmatched {
		t.Fatalf("fee line %s", fee.Status)
	}
	if s := bank.SuggestOperation(fee.Line); s.Account != "62700008" {
		t.Fatalf("fee suggested on %q", s.Account)
	}
	id, ex, err := service.CreateLineOperation(ctx, cs, fee.ID, service.LineOperation{Account: "62700008"})
	if err != nil || ex != "2025-2026" {
		t.Fatalf("create from line: %v (%s)", err, ex)
	}
	if id2, _, err := service.CreateLineOperation(ctx, cs, fee.ID, service.LineOperation{Account: "62700008"}); err != nil || id2 != id {
		t.Fatalf("second click: %d, %v (want the same operation %d)", id2, err, id)
	}
	rec, err := cs.Operation(ctx, id)
	if err != nil || rec.Op.Kind != ledger.Depense || rec.Op.Amount != 800 || rec.Op.Lines[0].Account != "62700008" ||
		rec.Op.Ticked == nil || !rec.Op.Ticked.Equal(tday("20/08/2026")) || rec.Op.Piece == "" {
		t.Fatalf("created operation %+v, %v", rec, err)
	}

	r, covered = w.etat("31/08/2026")
	if !covered || !r.Balanced() || len(r.NonPointees) != 2 || r.NonPointees[1].ID != b.cheque1002 ||
		r.SoldeLivre != money.MustParse("1401,80") || r.TotalNonPointees() != money.MustParse("-30") {
		t.Fatalf("after confirmation: covered %v, %+v", covered, r)
	}
	if r, _ = w.etat("30/09/2026"); !r.Balanced() || len(r.NonPointees) != 1 {
		t.Fatalf("at 30/09: %+v", r)
	}
}

// TestBankUndoAndNeverTwice: an automatic tick can be undone (the
// operation is unticked and becomes a candidate again), and an operation
// paired with a line is never matched with another one.
func TestBankUndoAndNeverTwice(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	b := w.seedBankBook()
	w.importBankOFX()
	chq := w.lineByLabel(t, "CHEQUE 1001")
	if chq.Status != store.BankTicked || !chq.Auto() {
		t.Fatalf("cheque line %+v", chq)
	}
	// A second statement shows the same amount again, e.g. a copy: the
	// ticked cheque is not a candidate.
	dup := demo.DemoOFX("FR7630006000011234567890189", tday("01/06/2026"), tday("30/06/2026"), money.MustParse("955,00"),
		[]demo.DemoLine{{Date: tday("15/06/2026"), Amount: -4500, Name: "CHEQUE 1001 BIS", TrnType: "CHECK"}})
	res, err := service.ImportBank(ctx, cs, service.BankFile{Name: "copie.ofx", Data: dup})
	if err != nil || res.Nouvelles != 1 || res.NonRapprochees != 1 {
		t.Fatalf("second statement %+v, %v", res, err)
	}
	other := w.lineByLabel(t, "CHEQUE 1001 BIS")
	var inv *fault.Invalid
	if err := cs.LinkBankLine(ctx, other.ID, []int64{b.cheque1001}, store.Pairing{}); !errors.As(err, &inv) {
		t.Fatalf("an operation paired twice: %v", err)
	}

	if _, err := cs.UnlinkBankLine(ctx, chq.ID); err != nil {
		t.Fatal(err)
	}
	rec, _ := cs.Operation(ctx, b.cheque1001)
	if rec.Op.Ticked != nil {
		t.Fatalf("undone tick left the operation ticked %v", rec.Op.Ticked)
	}
	auto, proposed, err := service.RematchBank(ctx, cs)
	if err != nil || auto+proposed == 0 {
		t.Fatalf("rematch: %d auto, %d proposed, %v", auto, proposed, err)
	}
	n := 0
	for _, l := range w.bankLines() {
		ids := l.OperationIDs()
		if l.Proposal != nil {
			ids = append(ids, l.Proposal.EntryIDs...)
		}
		for _, id := range ids {
			if id == b.cheque1001 {
				n++
			}
		}
	}
	if n != 1 {
		t.Fatalf("cheque 1001 paired with or proposed for %d lines, want 1", n)
	}
}

// TestBankImportRecognisesManualTicks: operations ticked by hand before
// the statement arrives are paired with their lines (keeping their
// pointage), never left for the mandataire to create twice.
func TestBankImportRecognisesManualTicks(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	b := w.seedBankBook()
	june := tday("30/06/2026")
	if err := cs.TickOperations(ctx, []int64{b.cheque1001, b.subvention}, &june); err != nil {
		t.Fatal(err)
	}
	res := w.importBankOFX()
	if res.PointeesAuto != 4 || res.NonRapprochees != 1 {
		t.Fatalf("import %+v", res)
	}
	l := w.lineByLabel(t, "CHEQUE 1001")
	if l.Status != store.BankTicked || l.Matches[0].TickedBefore == nil || l.Matches[0].Reasons[0] != bank.ReasonManual {
		t.Fatalf("manual tick not recognised: %+v", l)
	}
	rec, _ := cs.Operation(ctx, b.cheque1001)
	if !rec.Op.Ticked.Equal(june) {
		t.Fatalf("manual pointage changed to %v", rec.Op.Ticked)
	}
	if _, err := cs.UnlinkBankLine(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	if rec, _ = cs.Operation(ctx, b.cheque1001); rec.Op.Ticked == nil || !rec.Op.Ticked.Equal(june) {
		t.Fatalf("undo lost the manual pointage: %v", rec.Op.Ticked)
	}
}

// TestBankImportCSV: a CSV statement with a mapping confirmed once is read
// with it the next time; a statement of another account is refused; an
// unreadable file is a user error.
func TestBankImportCSV(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	w.seedBankBook()
	// Columns in an order detection would not guess: amount first.
	csv := "Montant;Quand;Intitulé\n-45,00;14/06/2026;CHEQUE 1001\n120,00;14/06/2026;REMISE CHEQUES\n"
	m := bank.Mapping{Amount: 0, Date: 1, Label: 2, Debit: -1, Credit: -1, HeaderRow: 0}
	closing := money.MustParse("1075,00")
	res, err := service.ImportBank(ctx, cs, service.BankFile{Name: "juin.csv", Data: []byte(csv), Mapping: &m, Closing: &closing})
	if err != nil || res.Nouvelles != 2 || res.PointeesAuto != 2 {
		t.Fatalf("csv import %+v, %v", res, err)
	}
	if sig, saved, ok, _ := cs.BankMapping(ctx); !ok || saved != m || sig == "" {
		t.Fatalf("mapping not remembered: %v %+v", ok, saved)
	}
	sts, _ := cs.BankStatements(ctx)
	if len(sts) != 1 || sts[0].Closing == nil || *sts[0].Closing != closing || !sts[0].End.Equal(tday("14/06/2026")) {
		t.Fatalf("statement %+v", sts)
	}
	next := csv + "300,00;16/06/2026;VIR SEPA MAIRIE\n"
	res, err = service.ImportBank(ctx, cs, service.BankFile{Name: "juin-bis.csv", Data: []byte(next)})
	if err != nil || res.Nouvelles != 1 || res.Doublons != 2 {
		t.Fatalf("remembered mapping: %+v, %v", res, err)
	}

	other := demo.DemoOFX("FR7610107001019876543210054", tday("01/06/2026"), tday("30/06/2026"), 0, nil)
	var inv *fault.Invalid
	if _, err := service.ImportBank(ctx, cs, service.BankFile{Name: "autre.ofx", Data: other}); !errors.As(err, &inv) || !strings.Contains(err.Error(), "98765432100") {
		t.Fatalf("another account's statement: %v", err)
	}
	if _, err := service.ImportBank(ctx, cs, service.BankFile{Name: "x.csv", Data: []byte("bonjour\n")}); err == nil {
		t.Fatal("an unreadable file was imported")
	} else if _, ok := fault.Message(err); !ok {
		t.Fatalf("unreadable file is not a user error: %v", err)
	}
}
