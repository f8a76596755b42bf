package apptest

import (
	"context"

	"retkoop/app/bank"
	"retkoop/app/store"
)

// seedBankVictims gives AD B's coop a bank statement with one line (the
// :stmt and :line victims), labelled with the victim's name and amount.
func (w *world) seedBankVictims() {
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopB)
	closing := victimAmount
	st := bank.Statement{ClosingBalance: &closing, Lines: []bank.Line{{Date: tday("20/10/2025"), Label: "VIR Victime Bêta 0700001L",
		Amount: victimAmount, Key: "victim-line"}}}
	rec, _, err := cs.AddBankStatement(ctx, store.NewBankStatement{FileName: "releve-victime-beta.ofx", SHA256: "victim",
		Statement: st, Start: tday("01/10/2025"), End: tday("31/10/2025")})
	if err != nil {
		w.t.Fatal(err)
	}
	lines, _, err := cs.AddBankLines(ctx, rec.ID, st.Lines)
	if err != nil || len(lines) != 1 {
		w.t.Fatalf("victim bank line: %v", err)
	}
	w.extraVictims["stmt"] = itoa(rec.ID)
	w.extraVictims["line"] = itoa(lines[0].ID)
}
