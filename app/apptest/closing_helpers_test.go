package apptest

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"retkoop/app/bank"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/report"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/workflow"
)

// closingYear gives coop A (opening 1 000 € at the bank, 20 € in cash) a
// small year whose figures the closing tests check by hand:
//
//	R1 15/09/2025 banque  +500,00  75600008
//	D1 10/10/2025 banque  −180,00  62810008 144,00 + 61681008 36,00
//	R2 12/11/2025 banque  +300,00  74400008 (Mairie de Toulouse)
//	D2 05/03/2026 caisse   −15,50  60600008
//	R3 20/05/2026 caisse   +42,00  70810008
//	T1 22/05/2026 caisse → banque 40,00
//	D3 25/08/2026 banque  −120,00  62510008 (cheque not yet cashed)
//
// Charges 315,50 €, produits 842,00 €, résultat 526,50 €; at 31 August the
// bank holds 1 540,00 €, the caisse 6,50 € (1 546,50 €).
func (w *world) closingYear() (subsidyOp int64) {
	w.t.Helper()
	cs := w.coopScopeOf(w.coopA)
	eur := money.MustParse
	w.addOp(w.coopA, tOp(ledger.Recette, "15/09/2025", "R1", ledger.Banque, "500"))
	w.addOp(w.coopA, tOp(ledger.Depense, "10/10/2025", "D1", ledger.Banque, "180",
		ledger.Line{Account: "62810008", Amount: eur("144")}, ledger.Line{Account: "61681008", Amount: eur("36")}))
	subsidyOp = w.addOp(w.coopA, tOp(ledger.Recette, "12/11/2025", "R2", ledger.Banque, "300",
		ledger.Line{Account: "74400008", Amount: eur("300")}))
	w.addOp(w.coopA, tOp(ledger.Depense, "05/03/2026", "D2", ledger.Caisse, "15.50"))
	w.addOp(w.coopA, tOp(ledger.Recette, "20/05/2026", "R3", ledger.Caisse, "42",
		ledger.Line{Account: "70810008", Amount: eur("42")}))
	deposit := tOp(ledger.Transfert, "22/05/2026", "T1", ledger.Caisse, "40")
	deposit.Counterpart = ledger.Banque
	w.addOp(w.coopA, deposit)
	chq := tOp(ledger.Depense, "25/08/2026", "D3", ledger.Banque, "120", ledger.Line{Account: "62510008", Amount: eur("120")})
	chq.Mode, chq.Cheque = ledger.Cheque, "0012346"
	w.addOp(w.coopA, chq)
	if err := cs.SetFunder(context.Background(), subsidyOp, "Mairie de Toulouse"); err != nil {
		w.t.Fatal(err)
	}
	return subsidyOp
}

// closeBookDirectly closes coop A's 2025-2026 book the way a successful
// closing does (store closing and the dossier's step), for tests about
// what comes after the closing checks.
func (w *world) closeBookDirectly() {
	w.t.Helper()
	ctx := context.Background()
	u, err := w.db.Auth().UserByLogin(ctx, "0310036W")
	if err != nil {
		w.t.Fatal(err)
	}
	cs, err := w.db.ForCoop(ctx, w.coopA.ID, &u.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	err = cs.Tx(ctx, func(tx *store.CoopScope) error {
		if err := tx.CloseExercice(ctx, store.Closing{Exercice: ex25, By: "M. École Alpha (mandataire)",
			Balances: ledger.Treasuries{Banque: money.MustParse("1540"), Caisse: money.MustParse("6.50")}}); err != nil {
			return err
		}
		_, err := w.app.CompleteStep(ctx, tx, ex25, workflow.Cloture, nil)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// requireTool returns the path of a command-line tool the test needs
// (poppler-utils in CI), skipping locally when it is missing.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		storetest.Require(t, name+" introuvable : installez poppler-utils (.ci/run le fait)")
	}
	return p
}

// writeTemp writes b to a file of the test's temporary directory.
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// extractPDFText extracts the text of a PDF with pdftotext -layout, no-break
// spaces folded to plain spaces.
func extractPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := requireTool(t, "pdftotext")
	var out, stderr bytes.Buffer
	cmd := exec.Command(tool, "-layout", "-enc", "UTF-8", writeTemp(t, "doc.pdf", pdf), "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(out.String())
}

// decodePDFQR rasterises the first page of a PDF at a scanner's 150 dpi
// and decodes its QR code, as mail-in does with a scan.
func decodePDFQR(t *testing.T, pdf []byte) report.QRPayload {
	t.Helper()
	tool := requireTool(t, "pdftoppm")
	in := writeTemp(t, "doc.pdf", pdf)
	prefix := filepath.Join(filepath.Dir(in), "page")
	if out, err := exec.Command(tool, "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", in, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode qr: %v", err)
	}
	p, err := report.ParseQR(res.GetText())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// statementAt records for coop A a bank statement of August 2026 whose
// balance at 31 August is balance (in euros), without lines.
func (w *world) statementAt(balance string) {
	w.t.Helper()
	b := money.MustParse(balance)
	_, _, err := w.coopScopeOf(w.coopA).AddBankStatement(context.Background(), store.NewBankStatement{
		FileName: "releve-aout-2026.ofx", SHA256: "aout-" + balance,
		Statement: bank.Statement{OpeningBalance: &b, ClosingBalance: &b},
		Start:     tday("01/08/2026"), End: tday("31/08/2026")})
	if err != nil {
		w.t.Fatal(err)
	}
}

// countCash records an arrêté de caisse of coop A on 31 August 2026 that
// matches closingYear's book (6,50 €).
func (w *world) countCash() {
	w.t.Helper()
	if _, err := w.coopScopeOf(w.coopA).AddCashCount(context.Background(), ex25, ledger.CashCount{Date: tday("31/08/2026"),
		Counts: map[money.Money]int{500: 1, 100: 1, 50: 1}}); err != nil {
		w.t.Fatal(err)
	}
}
