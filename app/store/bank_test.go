package store_test

import (
	"context"
	"errors"
	"testing"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func bankLine(date, amount, label, key string) bank.Line {
	return bank.Line{Date: day(date), Amount: eur(amount), Label: label, Key: key}
}

// addStatement records a statement of lines for c and returns its id and
// the lines added.
func addStatement(t *testing.T, c *store.CoopScope, sha string, lines ...bank.Line) (int64, []bank.BankLine, int) {
	t.Helper()
	ctx := context.Background()
	closing := eur("100")
	st := bank.Statement{AccountID: "12345678901", ClosingBalance: &closing, Lines: lines}
	start, end, _ := st.Period()
	rec, _, err := c.AddBankStatement(ctx, store.NewBankStatement{FileName: sha + ".ofx", SHA256: sha, Statement: st, Start: start, End: end})
	if err != nil {
		t.Fatal(err)
	}
	added, dups, err := c.AddBankLines(ctx, rec.ID, lines)
	if err != nil {
		t.Fatal(err)
	}
	return rec.ID, added, dups
}

func TestBankLinesDedupe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setupBook(t, db), context.Background()
		aug := []bank.Line{bankLine("03/08/2026", "-10", "FRAIS", "k1"), bankLine("20/08/2026", "100", "VIR MAIRIE", "k2")}
		id1, added, dups := addStatement(t, f.a1, "sha-aout", aug...)
		if len(added) != 2 || dups != 0 || added[0].ID == 0 {
			t.Fatalf("first import: %d added (%+v), %d dups", len(added), added, dups)
		}
		id2, added, dups := addStatement(t, f.a1, "sha-aout", aug...)
		if id2 != id1 || len(added) != 0 || dups != 2 {
			t.Fatalf("same file again: statement %d (was %d), %d added, %d dups", id2, id1, len(added), dups)
		}
		_, added, dups = addStatement(t, f.a1, "sha-aout-sept", append(aug, bankLine("05/09/2026", "-30", "CHQ 12", "k3"))...)
		if len(added) != 1 || dups != 2 || added[0].Key != "k3" {
			t.Fatalf("overlapping file: %+v, %d dups", added, dups)
		}
		// Another coop may have the same keys: dedupe is per coop.
		if _, added, _ := addStatement(t, f.b1, "sha-aout", aug...); len(added) != 2 {
			t.Fatalf("coop B's import: %d added", len(added))
		}
		sts, err := f.a1.BankStatements(ctx)
		if err != nil || len(sts) != 2 || sts[0].FileName != "sha-aout-sept.ofx" || sts[0].Closing == nil {
			t.Fatalf("statements %+v, %v", sts, err)
		}
		if _, err := f.b1.BankStatement(ctx, id1); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("coop B reads coop A's statement: %v", err)
		}
		lines, err := f.a1.BankLines(ctx, store.BankLineFilter{StatementID: id1})
		if err != nil || len(lines) != 2 || lines[0].Status != store.BankUnmatched {
			t.Fatalf("lines %+v, %v", lines, err)
		}
		if _, err := f.b1.BankLine(ctx, lines[0].ID); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("coop B reads coop A's line: %v", err)
		}
		periods, all, err := f.a1.BankHistory(ctx)
		if err != nil || len(periods) != 2 || len(all) != 3 {
			t.Fatalf("history: %d periods, %d lines, %v", len(periods), len(all), err)
		}
		if err := f.a1.SetStatementClosing(ctx, id1, eur("95")); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.a1.BankStatement(ctx, id1); st.Closing == nil || *st.Closing != eur("95") {
			t.Fatalf("closing not saved: %+v", st)
		}
	})
}

func TestBankLinkAndUndo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setupBook(t, db), context.Background()
		cheque := depense("25/08/2026", "1", ledger.Banque, "30,00", ledger.Line{Account: "60600008", Amount: eur("30")})
		cheque.Mode, cheque.Cheque = ledger.Cheque, "12"
		mustInsert(t, f.a1, cheque)
		fees := depense("02/08/2026", "2", ledger.Banque, "10,00", ledger.Line{Account: "60600008", Amount: eur("10")})
		ticked := day("31/08/2026")
		fees.Ticked = &ticked // ticked by hand before the import
		mustInsert(t, f.a1, fees)
		_, lines, _ := addStatement(t, f.a1, "sha", bankLine("05/09/2026", "-30", "CHQ 12", "k1"),
			bankLine("03/08/2026", "-10", "FRAIS", "k2"), bankLine("04/08/2026", "-30", "AUTRE", "k3"))

		if err := f.a1.LinkBankLine(ctx, lines[0].ID, []int64{cheque.ID}, store.Pairing{Auto: true, Score: 0.97, Reasons: []string{"montant", "n° de chèque"}}); err != nil {
			t.Fatal(err)
		}
		rec, _ := f.a1.Operation(ctx, cheque.ID)
		if rec.Op.Ticked == nil || !rec.Op.Ticked.Equal(day("05/09/2026")) {
			t.Fatalf("cheque ticked %v, want the line's date", rec.Op.Ticked)
		}
		l, _ := f.a1.BankLine(ctx, lines[0].ID)
		if l.Status != store.BankTicked || !l.Auto() || l.Matches[0].Score != 97 || len(l.Matches[0].Reasons) != 2 {
			t.Fatalf("line after link: %+v", l)
		}
		var inv *fault.Invalid
		if err := f.a1.LinkBankLine(ctx, lines[2].ID, []int64{cheque.ID}, store.Pairing{}); !errors.As(err, &inv) {
			t.Fatalf("an operation matched twice: %v", err)
		}
		if err := f.a1.LinkBankLine(ctx, lines[0].ID, []int64{fees.ID}, store.Pairing{}); !errors.As(err, &inv) {
			t.Fatalf("a line ticked twice: %v", err)
		}
		if err := f.b1.LinkBankLine(ctx, lines[2].ID, []int64{cheque.ID}, store.Pairing{}); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("coop B links coop A's line: %v", err)
		}
		ops, err := f.a1.BankOperations(ctx, store.CompteFilter{To: day("31/08/2026")})
		var open []store.CompteOp
		for _, o := range ops {
			if o.Op.OpenAt(day("31/08/2026")) { // the one rule, ledger.Operation.OpenAt
				open = append(open, o)
			}
		}
		if err != nil || len(open) != 1 || open[0].Op.ID != cheque.ID {
			t.Fatalf("open at 31/08: %+v, %v (the cheque cashed in September stays open)", open, err)
		}

		// A manual pointage is kept by the pairing and by its undoing.
		if err := f.a1.LinkBankLine(ctx, lines[1].ID, []int64{fees.ID}, store.Pairing{Auto: true, Score: 0.9}); err != nil {
			t.Fatal(err)
		}
		if ids, err := f.a1.UnlinkBankLine(ctx, lines[1].ID); err != nil || len(ids) != 1 {
			t.Fatalf("unlink: %v %v", ids, err)
		}
		rec, _ = f.a1.Operation(ctx, fees.ID)
		if rec.Op.Ticked == nil || !rec.Op.Ticked.Equal(ticked) {
			t.Fatalf("manual pointage lost: %v", rec.Op.Ticked)
		}

		// Undoing an automatic tick unticks the operation and frees it.
		if _, err := f.a1.UnlinkBankLine(ctx, lines[0].ID); err != nil {
			t.Fatal(err)
		}
		rec, _ = f.a1.Operation(ctx, cheque.ID)
		l, _ = f.a1.BankLine(ctx, lines[0].ID)
		if rec.Op.Ticked != nil || l.Status != store.BankUnmatched {
			t.Fatalf("after undo: op ticked %v, line %s", rec.Op.Ticked, l.Status)
		}
		if _, err := f.a1.UnlinkBankLine(ctx, lines[0].ID); !errors.As(err, &inv) {
			t.Fatalf("undo twice: %v", err)
		}
		if err := f.a1.LinkBankLine(ctx, lines[2].ID, []int64{cheque.ID}, store.Pairing{}); err != nil {
			t.Fatalf("the freed operation cannot be paired again: %v", err)
		}

		// Unticking by hand undoes the pairing; deleting the operation
		// leaves the line unmatched.
		if err := f.a1.TickBankOperation(ctx, cheque.ID, nil); err != nil {
			t.Fatal(err)
		}
		if l, _ = f.a1.BankLine(ctx, lines[2].ID); l.Status != store.BankUnmatched {
			t.Fatalf("line after manual untick: %s", l.Status)
		}
		if err := f.a1.LinkBankLine(ctx, lines[2].ID, []int64{cheque.ID}, store.Pairing{}); err != nil {
			t.Fatal(err)
		}
		if err := f.a1.DeleteOperation(ctx, cheque.ID); err != nil {
			t.Fatal(err)
		}
		if l, _ = f.a1.BankLine(ctx, lines[2].ID); l.Status != store.BankUnmatched || len(l.Matches) != 0 {
			t.Fatalf("line after the operation was deleted: %+v", l)
		}
	})
}

func TestBankProposalsAndMapping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setupBook(t, db), context.Background()
		op := recette("10/10/2025", "1", ledger.Banque, "50,00", "70800008")
		mustInsert(t, f.a1, op)
		_, lines, _ := addStatement(t, f.a1, "sha", bankLine("12/10/2025", "50", "REMISE", "k1"))
		p := bank.Proposal{LineID: lines[0].ID, EntryIDs: []int64{op.ID}, Score: 0.7, Reasons: []string{"montant"}, Alternatives: [][]int64{{op.ID}}}
		if err := f.a1.SetBankProposals(ctx, []bank.Proposal{p}); err != nil {
			t.Fatal(err)
		}
		l, err := f.a1.BankLine(ctx, lines[0].ID)
		if err != nil || l.Status != store.BankProposed || l.Proposal == nil || l.Proposal.EntryIDs[0] != op.ID || len(l.Proposal.Alternatives) != 1 {
			t.Fatalf("proposed line %+v, %v", l, err)
		}
		got, err := f.a1.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankUnmatched}})
		if err != nil || len(got) != 0 {
			t.Fatalf("unmatched filter: %+v %v", got, err)
		}
		if err := f.a1.RejectBankProposal(ctx, lines[0].ID); err != nil {
			t.Fatal(err)
		}
		if l, _ = f.a1.BankLine(ctx, lines[0].ID); l.Status != store.BankUnmatched || l.Proposal != nil {
			t.Fatalf("rejected line %+v", l)
		}

		if _, _, ok, err := f.a1.BankMapping(ctx); ok || err != nil {
			t.Fatalf("mapping before any: %v %v", ok, err)
		}
		m := bank.Mapping{Date: 0, Label: 2, Debit: 3, Credit: 4, Amount: -1, HeaderRow: 5}
		for _, sig := range []string{";date|x", ";date|libellé|débit|crédit"} {
			if err := f.a1.SaveBankMapping(ctx, sig, m); err != nil {
				t.Fatal(err)
			}
		}
		sig, got2, ok, err := f.a1.BankMapping(ctx)
		if err != nil || !ok || got2 != m || sig != ";date|libellé|débit|crédit" {
			t.Fatalf("mapping %q %+v %v %v", sig, got2, ok, err)
		}
		if _, _, ok, _ := f.b1.BankMapping(ctx); ok {
			t.Fatal("coop B sees coop A's mapping")
		}
	})
}

func TestBankOperationsAcrossExercices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setupBook(t, db), context.Background()
		if err := f.a1.SetOpening(ctx, "2026-2027", 0, 0); err != nil {
			t.Fatal(err)
		}
		mustInsert(t, f.a1, depense("20/08/2026", "1", ledger.Banque, "5,00", ledger.Line{Account: "60600008", Amount: eur("5")}))
		mustInsert(t, f.a1, transfert("25/08/2026", "2", ledger.Caisse, ledger.Banque, "20,00"))
		mustInsert(t, f.a1, depense("26/08/2026", "3", ledger.Caisse, "5,00", ledger.Line{Account: "60600008", Amount: eur("5")}))
		late := depense("02/09/2026", "1", ledger.Banque, "7,00", ledger.Line{Account: "60600008", Amount: eur("7")})
		if _, err := f.a1.InsertOperation(ctx, "2026-2027", late, ""); err != nil {
			t.Fatal(err)
		}
		ops, err := f.a1.BankOperations(ctx, store.CompteFilter{From: day("01/08/2026"), To: day("30/09/2026")})
		if err != nil || len(ops) != 3 || ops[2].Exercice != "2026-2027" || ops[1].Op.Kind != ledger.Transfert {
			t.Fatalf("compte courant ops %+v, %v", ops, err)
		}
	})
}
