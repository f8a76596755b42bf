package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"retkoop/app/bank"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// bankHead is the common head of the bank pages: the coop and the
// sub-navigation.
type bankHead struct {
	Space   coopSpace
	Title   string
	Coop    *store.Coop
	Current string
	Links   []bookLink
}

func newBankHead(s coopSpace, co *store.Coop, current, title string) bankHead {
	return bankHead{Space: s, Title: title, Coop: co, Current: current, Links: []bookLink{
		{"releves", s.To("/banque"), "Relevés"},
		{"import", s.To("/banque/import"), "Importer un relevé"},
		{"pointage", s.To("/banque/pointage"), "Pointage"},
		{"rapprochement", s.To("/banque/rapprochement"), "État de rapprochement"},
	}}
}

// opRef is an operation of the book as a bank line shows it.
type opRef struct {
	ID       int64
	Date     time.Time
	Piece    string
	Libelle  string
	Amount   money.Money // signed, from the bank's side
	Exercice string
}

// lineSuggest is the form that turns an unmatched line into an operation.
type lineSuggest struct {
	Libelle  string
	Account  string
	Accounts []option
	Closed   bool   // the exercice of the line's date is closed (or absent)
	BookURL  string // the book's entry form, prefilled, for a detailed entry
}

// bankLineView is one row of a list of bank lines (partial bank_line).
type bankLineView struct {
	Space        coopSpace
	CSRF         string
	Back         string // where a plain form post returns
	Line         store.BankLine
	Ops          []opRef // paired, or proposed
	Alternatives [][]opRef
	Score        int // percent
	Reasons      []string
	Suggest      *lineSuggest
	Notice       string // what the last action did, for htmx swaps
	ReadOnly     bool
}

// Debit is the amount of a debit line (0 for a credit).
func (v bankLineView) Debit() money.Money { return max(0, -v.Line.Amount) }

// Credit is the amount of a credit line (0 for a debit).
func (v bankLineView) Credit() money.Money { return max(0, v.Line.Amount) }

// StatusLabel is the status in words.
func (v bankLineView) StatusLabel() string {
	switch v.Line.Status {
	case store.BankTicked:
		if v.Line.Auto() {
			return "Pointée automatiquement"
		}
		return "Pointée"
	case store.BankProposed:
		return "À confirmer"
	}
	return "Non rapprochée"
}

// bankLineViews builds the rows of lines with the operations they name,
// the chart for the suggestions and the state of the exercices.
func bankLineViews(ctx context.Context, sp coopSpace, cs *store.CoopScope, csrf, back string, lines []store.BankLine) ([]bankLineView, error) {
	var ids []int64
	for _, l := range lines {
		ids = append(ids, l.OperationIDs()...)
		if l.Proposal != nil {
			ids = append(ids, l.Proposal.EntryIDs...)
			for _, alt := range l.Proposal.Alternatives {
				ids = append(ids, alt...)
			}
		}
	}
	ops, err := cs.BankOperations(ctx, store.CompteFilter{IDs: uniqueSorted(ids)})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]opRef, len(ops))
	for _, o := range ops {
		byID[o.Op.ID] = opRef{ID: o.Op.ID, Date: o.Op.Date, Piece: o.Op.Piece, Libelle: o.Op.Libelle,
			Amount: o.Op.Delta(ledger.Banque), Exercice: o.Exercice}
	}
	refs := func(ids []int64) []opRef {
		out := make([]opRef, 0, len(ids))
		for _, id := range ids {
			if r, ok := byID[id]; ok {
				out = append(out, r)
			}
		}
		return out
	}
	chart, err := cs.Chart(ctx)
	if err != nil {
		return nil, err
	}
	exs, err := cs.Exercices(ctx)
	if err != nil {
		return nil, err
	}
	open := map[string]bool{}
	for _, e := range exs {
		open[e.Name] = e.State != store.ExerciceClosed
	}
	out := make([]bankLineView, len(lines))
	for i, l := range lines {
		v := bankLineView{Space: sp, CSRF: csrf, Back: back, Line: l, ReadOnly: cs.ReadOnly()}
		switch l.Status {
		case store.BankTicked:
			v.Ops = refs(l.OperationIDs())
			v.Score, v.Reasons = l.Matches[0].Score, l.Matches[0].Reasons
		case store.BankProposed:
			v.Ops, v.Score, v.Reasons = refs(l.Proposal.EntryIDs), int(l.Proposal.Score*100+0.5), l.Proposal.Reasons
			for _, alt := range l.Proposal.Alternatives {
				v.Alternatives = append(v.Alternatives, refs(alt))
			}
		default:
			v.Suggest = newLineSuggest(sp, l.Line, chart, open[ledger.ExerciceFor(l.Date).String()])
		}
		out[i] = v
	}
	return out, nil
}

// newLineSuggest pre-fills the operation of an unmatched line: the
// accounts of its side (charges for a debit, produits for a credit) and
// the cash box, the suggested one selected.
func newLineSuggest(sp coopSpace, l bank.Line, chart ledger.Chart, open bool) *lineSuggest {
	s := bank.SuggestOperation(l)
	ls := &lineSuggest{Libelle: s.Libelle, Account: s.Account, Closed: !open}
	charges, products := chart.Split()
	codes := products
	if l.Amount < 0 {
		codes = charges
	}
	for _, code := range codes {
		ls.Accounts = append(ls.Accounts, option{Value: code, Label: code + " — " + chart[code]})
	}
	cash := "caisse — retrait d'espèces (mouvement interne)"
	if l.Amount > 0 {
		cash = "caisse — dépôt d'espèces (mouvement interne)"
	}
	ls.Accounts = append(ls.Accounts, option{Value: "caisse", Label: cash})
	kind := ledger.Depense
	if l.Amount > 0 {
		kind = ledger.Recette
	}
	q := url.Values{"saisie": {string(kind)}, "montant": {s.Amount.Plain()}, "libelle": {s.Libelle}, "de": {string(ledger.Banque)}}
	ls.BookURL = sp.book(ledger.ExerciceFor(l.Date).String(), "") + "?" + q.Encode() + "#entry-section"
	return ls
}

func uniqueSorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// statementRow is a statement in the list, with where its lines stand.
type statementRow struct {
	store.BankStatement
	Ticked, Proposed, Unmatched int
}

// statementRows counts the lines of each statement by status.
func statementRows(sts []store.BankStatement, lines []store.BankLine) []statementRow {
	idx := map[int64]int{}
	out := make([]statementRow, len(sts))
	for i, s := range sts {
		out[i], idx[s.ID] = statementRow{BankStatement: s}, i
	}
	for _, l := range lines {
		i, ok := idx[l.StatementID]
		if !ok {
			continue
		}
		switch l.Status {
		case store.BankTicked:
			out[i].Ticked++
		case store.BankProposed:
			out[i].Proposed++
		default:
			out[i].Unmatched++
		}
	}
	return out
}

// defaultRapprochementDate is 31 August of the exercice being kept: the
// oldest open one (the year being closed in September), else the latest.
func defaultRapprochementDate(exs []store.Exercice, now time.Time) time.Time {
	name := ""
	for _, e := range exs { // most recent first
		if name == "" || e.State != store.ExerciceClosed {
			name = e.Name
		}
	}
	if lex, err := ledger.ParseExercice(name); err == nil {
		return lex.Fin()
	}
	return ledger.ExerciceFor(now).Fin()
}

// safeBack keeps a "retour" address only when it is one of the bank pages
// of the space; else fallback, a bank page of the space ("/banque…").
func safeBack(sp coopSpace, s, fallback string) string {
	fallback = sp.To(fallback)
	if strings.HasPrefix(s, sp.To("/banque")) && !strings.ContainsAny(s, "\\\r\n") && !strings.HasPrefix(s, "//") {
		return s
	}
	return fallback
}

// importNotice is the summary of an import shown on the statement page.
func importNotice(v url.Values) string {
	if v.Get("import") != "1" {
		return ""
	}
	n := func(k string) int { return atoiOr0(v.Get(k)) }
	if n("nouvelles") == 0 {
		return fmt.Sprintf("Ce relevé était déjà importé : ses %d lignes sont connues, rien n'a été ajouté.", n("lignes"))
	}
	return fmt.Sprintf("Relevé importé : %d lignes, dont %d nouvelles (%d déjà connues). %d pointée(s) automatiquement, %d à confirmer, %d non rapprochée(s).",
		n("lignes"), n("nouvelles"), n("doublons"), n("auto"), n("proposees"), n("non"))
}
