package apptest

import (
	"context"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// seedBookVictims gives AD B's coop a book: an operation of 7 777,77 €
// labelled with the victim's name in 2025-2026 (the :op victim, also a
// subsidy and an inventory item), and an exercice 2019-2020 that no other
// coop has (the :ex victim: another coop's mandataire asking for it must
// get a 404, not their own book).
func (w *world) seedBookVictims() {
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopB)
	if err := cs.SetOpening(ctx, "2019-2020", victimAmount, 0); err != nil {
		w.t.Fatal(err)
	}
	op := ledger.Operation{Date: tday("15/10/2025"), Piece: "V1", Libelle: "Subvention Victime Bêta", Kind: ledger.Recette,
		Mode: ledger.Virement, Treasury: ledger.Banque, Amount: victimAmount,
		Lines: []ledger.Line{{Account: "74400008", Amount: victimAmount}}, Project: "Victime Bêta"}
	if _, err := cs.InsertOperation(ctx, ex25, &op, "victim"); err != nil {
		w.t.Fatal(err)
	}
	old := ledger.Operation{Date: tday("15/10/2019"), Piece: "V0", Libelle: "Achat Victime Bêta", Kind: ledger.Depense,
		Mode: ledger.Virement, Treasury: ledger.Banque, Amount: money.Money(1000),
		Lines: []ledger.Line{{Account: ledger.AccountInventaire, Amount: 1000}}}
	if _, err := cs.InsertOperation(ctx, "2019-2020", &old, ""); err != nil {
		w.t.Fatal(err)
	}
	if err := cs.SetFunder(ctx, op.ID, "Victime Bêta"); err != nil {
		w.t.Fatal(err)
	}
	w.extraVictims["op"] = itoa(op.ID)
	w.extraVictims["ex"] = "2019-2020"
}
