package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/iban"
	"retkoop/app/money"
	"retkoop/app/store"
)

// maxBankFile bounds a statement file (a year of lines is ~50 kB).
const MaxBankFile = 5 << 20

// bankSummary is the outcome of one import, printed by `retkoop bank
// import` exactly as the contract says. Nouvelles = PointeesAuto +
// Proposees + NonRapprochees; Lignes = Nouvelles + Doublons.
type BankSummary struct {
	Lignes         int `json:"lignes"`
	Nouvelles      int `json:"nouvelles"`
	Doublons       int `json:"doublons"`
	PointeesAuto   int `json:"pointees_auto"`
	Proposees      int `json:"proposees"`
	NonRapprochees int `json:"non_rapprochees"`

	StatementID int64 `json:"-"`
}

// bankFile is a statement file to import.
type BankFile struct {
	Name string
	Data []byte
	// Mapping is the CSV columns the mandataire chose (remembered for the
	// next files of that shape); nil: the remembered ones, else detected.
	Mapping *bank.Mapping
	// Closing is the balance the mandataire read on the statement, used
	// when the file gives none.
	Closing *money.Money
}

// readBankFile reads the statement of a file with the CSV mapping to use:
// the one given, else the one the coop confirmed for files of this shape,
// else the one detected.
func readBankFile(ctx context.Context, cs *store.CoopScope, f BankFile) (bank.Statement, error) {
	if bank.IsOFX(f.Name, f.Data) {
		return bank.Read(f.Name, f.Data)
	}
	if f.Mapping != nil {
		return bank.ReadCSV(f.Data, *f.Mapping)
	}
	m, preview, err := bank.DetectCSV(f.Data)
	sig, saved, ok, serr := cs.BankMapping(ctx)
	if serr != nil {
		return bank.Statement{}, serr
	}
	if ok && sig != "" && preview.Signature(saved) == sig {
		return bank.ReadCSV(f.Data, saved)
	}
	if err != nil {
		return bank.Statement{}, err
	}
	return bank.ReadCSV(f.Data, m)
}

// importBank imports a statement file for the coop, in one transaction:
// the statement is recorded (once per file), its lines not imported
// before are added, and the matcher pairs them with the operations of the
// book — ticking the sure pairings, proposing the likely ones. A file the
// coop imported already adds nothing.
func ImportBank(ctx context.Context, cs *store.CoopScope, f BankFile) (BankSummary, error) {
	st, err := readBankFile(ctx, cs, f)
	if err != nil {
		return BankSummary{}, bankFileError(err)
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return BankSummary{}, err
	}
	if !bank.SameAccount(co.IBAN, st.AccountID) {
		return BankSummary{}, fault.Invalidf("Ce relevé est celui du compte %s, pas du compte de la coopérative (%s).",
			st.AccountID, iban.Format(co.IBAN))
	}
	start, end, ok := st.Period()
	if !ok {
		return BankSummary{}, fault.Invalidf("Le relevé ne contient aucune opération.")
	}
	if st.ClosingBalance == nil && f.Closing != nil {
		st.ClosingBalance = f.Closing
	}
	sum := sha256.Sum256(f.Data)
	in := store.NewBankStatement{FileName: f.Name, SHA256: hex.EncodeToString(sum[:]), Statement: st, Start: start, End: end}
	out := BankSummary{Lignes: len(st.Lines)}
	err = cs.Tx(ctx, func(tx *store.CoopScope) error {
		rec, _, err := tx.AddBankStatement(ctx, in)
		if err != nil {
			return err
		}
		out.StatementID = rec.ID
		added, dups, err := tx.AddBankLines(ctx, rec.ID, st.Lines)
		if err != nil {
			return err
		}
		out.Nouvelles, out.Doublons = len(added), dups
		if out.PointeesAuto, out.Proposees, err = matchBankLines(ctx, tx, added); err != nil {
			return err
		}
		out.NonRapprochees = out.Nouvelles - out.PointeesAuto - out.Proposees
		if f.Mapping == nil {
			return nil
		}
		_, preview, _ := bank.DetectCSV(f.Data) // the preview is filled even when detection fails
		if sig := preview.Signature(*f.Mapping); sig != "" {
			return tx.SaveBankMapping(ctx, sig, *f.Mapping)
		}
		return nil
	})
	return out, err
}

// bankFileError turns an unreadable file into a user error.
func bankFileError(err error) error {
	if errors.Is(err, bank.ErrFormat) {
		return fault.User(err)
	}
	return err
}

// matchBankLines pairs lines with the operations of the compte courant
// around their dates, in every exercice, as bank.Plan decides, and records
// the outcome: sure pairings ticked, likely ones proposed.
func matchBankLines(ctx context.Context, tx *store.CoopScope, lines []bank.BankLine) (auto, proposed int, err error) {
	from, to, ok := bank.CandidateWindow(lines)
	if !ok {
		return 0, 0, nil
	}
	ops, err := tx.BankOperations(ctx, store.CompteFilter{From: from, To: to})
	if err != nil {
		return 0, 0, err
	}
	pending, err := tx.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankProposed}})
	if err != nil {
		return 0, 0, err
	}
	cands := make([]bank.Candidate, len(ops))
	for i := range ops {
		cands[i] = bank.Candidate{Entry: bankEntry(&ops[i].Op), LineID: ops[i].LineID}
	}
	var props []bank.Proposal
	for _, l := range pending {
		if l.Proposal != nil {
			props = append(props, *l.Proposal)
		}
	}
	plan := bank.Plan(lines, cands, props, bank.Options{})
	for _, p := range plan.Auto {
		if err := tx.LinkBankLine(ctx, p.LineID, p.EntryIDs, store.Pairing{Auto: true, Score: p.Score, Reasons: p.Reasons}); err != nil {
			return 0, 0, fmt.Errorf("auto tick line %d: %w", p.LineID, err)
		}
	}
	if err := tx.SetBankProposals(ctx, plan.Proposed); err != nil {
		return 0, 0, err
	}
	return len(plan.Auto), len(plan.Proposed), nil
}

// rematchBank runs the matcher again over the coop's unmatched lines, after
// the mandataire completed the book.
func RematchBank(ctx context.Context, cs *store.CoopScope) (auto, proposed int, err error) {
	err = cs.Tx(ctx, func(tx *store.CoopScope) error {
		lines, err := tx.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankUnmatched}})
		if err != nil {
			return err
		}
		bl := make([]bank.BankLine, len(lines))
		for i := range lines {
			bl[i] = lines[i].BankLine
		}
		auto, proposed, err = matchBankLines(ctx, tx, bl)
		return err
	})
	return auto, proposed, err
}
