package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/iban"
	"retkoop/app/money"
	"retkoop/app/store"
)

// maxBankFile bounds a statement file (a year of lines is ~50 kB).
const MaxBankFile = 5 << 20

// Windows around the lines of an import in which operations of the book
// are candidates: a cheque is cashed up to ~70 days after it is written, a
// card payment may reach the bank before the book's date.
const (
	matchBefore = 120 * 24 * time.Hour
	matchAfter  = 30 * 24 * time.Hour
)

// reasonManual marks a pairing with an operation the mandataire had ticked
// by hand before the statement was imported.
const ReasonManual = "pointage manuel reconnu"

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

// matchBankLines runs the matcher over lines against the operations of
// the compte courant around their dates, in every exercice, and records
// the outcome: sure pairings ticked, likely ones proposed. Operations
// already ticked or proposed are not candidates; then the lines left are
// tried against the operations ticked by hand and paired with no line, so
// that a statement imported after a manual pointage is recognised (those
// operations keep their pointage).
func matchBankLines(ctx context.Context, tx *store.CoopScope, lines []bank.BankLine) (auto, proposed int, err error) {
	if len(lines) == 0 {
		return 0, 0, nil
	}
	from, to := lines[0].Date, lines[0].Date
	for _, l := range lines {
		from, to = minTime(from, l.Date), maxTime(to, l.Date)
	}
	ops, err := tx.BankOperations(ctx, store.CompteFilter{From: from.Add(-matchBefore), To: to.Add(matchAfter)})
	if err != nil {
		return 0, 0, err
	}
	pending, err := tx.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankProposed}})
	if err != nil {
		return 0, 0, err
	}
	busy := map[int64]bool{}
	for _, l := range pending {
		for _, id := range l.Proposal.EntryIDs {
			busy[id] = true
		}
	}
	var open, manual []bank.Entry
	for i := range ops {
		switch o := &ops[i]; {
		case o.LineID != 0 || busy[o.Op.ID]:
		case o.Op.Ticked == nil:
			open = append(open, bankEntry(&o.Op))
		default:
			e := bankEntry(&o.Op)
			e.Ticked = false
			manual = append(manual, e)
		}
	}
	first := bank.Match(lines, open, bank.Options{})
	left := make([]bank.BankLine, 0, len(first.Unmatched))
	unmatched := map[int64]bool{}
	for _, id := range first.Unmatched {
		unmatched[id] = true
	}
	for _, l := range lines {
		if unmatched[l.ID] {
			left = append(left, l)
		}
	}
	second := bank.Match(left, manual, bank.Options{})
	for _, p := range second.Auto {
		p.Reasons = append([]string{ReasonManual}, p.Reasons...)
		first.Auto = append(first.Auto, p)
	}
	for _, p := range first.Auto {
		if err := tx.LinkBankLine(ctx, p.LineID, p.EntryIDs, store.Pairing{Auto: true, Score: p.Score, Reasons: p.Reasons}); err != nil {
			return 0, 0, fmt.Errorf("auto tick line %d: %w", p.LineID, err)
		}
	}
	for _, p := range second.Proposed {
		p.Reasons = append([]string{ReasonManual}, p.Reasons...)
		first.Proposed = append(first.Proposed, p)
	}
	props := first.Proposed
	if err := tx.SetBankProposals(ctx, props); err != nil {
		return 0, 0, err
	}
	return len(first.Auto), len(props), nil
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

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
