package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// minFormLines is the number of ventilation rows the entry form shows
// (more can be added, with or without JavaScript).
const minFormLines = 3

// entryForm is the entry form of the book: what was typed, so that it is
// shown again after an error, and the choices offered.
type entryForm struct {
	Space    coopSpace
	CSRF     string
	Action   string // where the form posts
	Exercice string
	OpID     int64 // 0 for a new operation
	Idem     string
	View     string // query of the book view to refresh after a save

	Kind, Date, Piece, Libelle, Mode, Cheque, Treasury, Counterpart, Amount, Project string
	Lines                                                                            []formLine
	DocumentID                                                                       int64

	Errors []string          // messages not tied to a field
	Field  map[string]string // field → message
	Saved  string            // confirmation of the previous save
	Rest   ventilationRest

	Modes      []ledger.Mode
	Treasuries []option
	Charges    []option
	Produits   []option
	Projects   []string
}

// AccountOptions renders the <option>s of a ventilation line's account
// select, grouped by charges and produits, with selected chosen. The form
// is rendered on every view of the book: building its selects here is
// much cheaper than template loops with a comparison per option.
func (f *entryForm) AccountOptions(selected string) template.HTML {
	var b strings.Builder
	b.Grow(4096)
	b.WriteString(`<option value="">— compte —</option>`)
	b.WriteString(`<optgroup label="Dépenses (comptes 6)">`)
	writeOptions(&b, f.Charges, selected)
	b.WriteString(`</optgroup><optgroup label="Recettes (comptes 7)">`)
	writeOptions(&b, f.Produits, selected)
	b.WriteString(`</optgroup>`)
	return template.HTML(b.String()) // every value is escaped by writeOptions
}

// TreasuryOptions renders the <option>s of a treasury select.
func (f *entryForm) TreasuryOptions(selected string) template.HTML {
	var b strings.Builder
	writeOptions(&b, f.Treasuries, selected)
	return template.HTML(b.String())
}

// ModeOptions renders the <option>s of the mode select.
func (f *entryForm) ModeOptions() template.HTML {
	opts := make([]option, len(f.Modes))
	for i, m := range f.Modes {
		opts[i] = option{Value: string(m), Label: m.Label()}
	}
	var b strings.Builder
	writeOptions(&b, opts, f.Mode)
	return template.HTML(b.String())
}

// writeOptions writes escaped <option> elements.
func writeOptions(b *strings.Builder, opts []option, selected string) {
	for _, o := range opts {
		b.WriteString(`<option value="` + html.EscapeString(o.Value) + `"`)
		if o.Value == selected {
			b.WriteString(` selected`)
		}
		b.WriteString(`>` + html.EscapeString(o.Label) + `</option>`)
	}
}

// formLine is one ventilation row as typed.
type formLine struct{ Account, Amount string }

// option is one choice of a select.
type option struct{ Value, Label string }

// ventilationRest is the "reste à ventiler" shown under the lines.
type ventilationRest struct {
	Shown   bool
	Balance bool
	Message string
}

// newIdemKey returns a random idempotency key for a form.
func newIdemKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newEntryForm prepares an empty form for exercice, with the choices of
// the coop's book and the suggested pièce and cheque numbers.
func newEntryForm(s coopSpace, csrf string, b *store.Book) *entryForm {
	f := &entryForm{Space: s, CSRF: csrf, Exercice: b.Exercice.Name, Idem: newIdemKey(), Kind: string(ledger.Depense),
		Treasury: string(ledger.Banque), Mode: string(ledger.Cheque), Field: map[string]string{}}
	f.Action = s.book(b.Exercice.Name, "operations")
	f.choices(b)
	f.Piece = ledger.NextPiece(service.Pieces(b.Ops), ledger.Kind(f.Kind))
	f.Cheque = ledger.NextCheque(cheques(b.Ops))
	f.padLines()
	return f
}

// editForm prepares the form to edit an existing operation.
func editForm(s coopSpace, csrf string, b *store.Book, rec *store.OperationRecord) *entryForm {
	f := newEntryForm(s, csrf, b)
	op := rec.Op
	f.Action, f.OpID, f.Idem = s.To(fmt.Sprintf("/operations/%d", op.ID)), op.ID, ""
	f.Kind, f.Date, f.Piece, f.Libelle = string(op.Kind), op.Date.Format("2006-01-02"), op.Piece, op.Libelle
	f.Mode, f.Cheque, f.Treasury, f.Counterpart = string(op.Mode), op.Cheque, string(op.Treasury), string(op.Counterpart)
	f.Amount, f.Project, f.DocumentID = op.Amount.Number(), op.Project, rec.DocumentID
	f.Lines = nil
	for _, l := range op.Lines {
		f.Lines = append(f.Lines, formLine{Account: l.Account, Amount: l.Amount.Number()})
	}
	f.padLines()
	return f
}

func (f *entryForm) choices(b *store.Book) {
	f.Modes = ledger.Modes
	f.Treasuries = treasuryOptions(b.Regies)
	charges, products := b.Chart.Split()
	for _, code := range charges {
		f.Charges = append(f.Charges, option{Value: code, Label: code + " — " + b.Chart[code]})
	}
	for _, code := range products {
		f.Produits = append(f.Produits, option{Value: code, Label: code + " — " + b.Chart[code]})
	}
	f.Projects = projectNames(b.Ops)
}

// treasuryOptions lists the bank, the cash box and the régies.
func treasuryOptions(regies []ledger.Regie) []option {
	out := []option{{string(ledger.Banque), "Compte courant (banque)"}, {string(ledger.Caisse), "Caisse"}}
	for _, r := range regies {
		out = append(out, option{string(r.Treasury()), "Régie " + r.ID + " — " + r.Label})
	}
	return out
}

// padLines keeps at least minFormLines ventilation rows.
func (f *entryForm) padLines() {
	for len(f.Lines) < minFormLines {
		f.Lines = append(f.Lines, formLine{})
	}
}

func cheques(ops []ledger.Operation) []string {
	var out []string
	for i := range ops {
		if ops[i].Cheque != "" && ops[i].Kind != ledger.Recette {
			out = append(out, ops[i].Cheque)
		}
	}
	return out
}

// bindEntry reads the posted form into f (to show it again) and into an
// operation. Unreadable dates and amounts are returned as a *fault.Invalid
// whose fields are in f.Field; the book's rules are the store's to check.
func bindEntry(c *gin.Context, f *entryForm) (ledger.Operation, error) {
	get := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	f.Kind, f.Date, f.Piece, f.Libelle = get("type"), get("date"), get("piece"), get("libelle")
	f.Mode, f.Cheque, f.Treasury, f.Counterpart = get("mode"), get("cheque"), get("tresorerie"), get("vers")
	f.Amount, f.Project, f.View = get("montant"), get("projet"), get("vue")
	if k := get("idem"); k != "" {
		f.Idem = k
	}
	accounts, amounts := c.PostFormArray("compte"), c.PostFormArray("montant_ligne")
	f.Lines = nil
	for i := 0; i < max(len(accounts), len(amounts)); i++ {
		l := formLine{}
		if i < len(accounts) {
			l.Account = strings.TrimSpace(accounts[i])
		}
		if i < len(amounts) {
			l.Amount = strings.TrimSpace(amounts[i])
		}
		if l.Account != "" || l.Amount != "" {
			f.Lines = append(f.Lines, l)
		}
	}
	op, bad := f.operation()
	f.Rest = restOf(op, f)
	f.padLines()
	if len(bad) > 0 {
		var v ledger.Invalid
		msgs := make([]string, 0, len(bad))
		for _, k := range []string{"date", "amount", "lines", "mode"} {
			if m, ok := bad[k]; ok {
				v = append(v, ledger.FieldError{Field: k, Msg: m})
				msgs = append(msgs, m)
			}
		}
		return op, &fault.Invalid{Msg: strings.Join(msgs, " "), Err: v}
	}
	return op, nil
}

// operation converts what was typed; bad lists the fields that cannot be
// read at all.
func (f *entryForm) operation() (ledger.Operation, map[string]string) {
	bad := map[string]string{}
	op := ledger.Operation{ID: f.OpID, Piece: f.Piece, Libelle: f.Libelle, Kind: ledger.Kind(f.Kind), Cheque: f.Cheque,
		Treasury: ledger.Treasury(f.Treasury), Project: f.Project}
	if f.Date != "" {
		d, err := csvin.ParseDate(f.Date)
		if err != nil {
			bad["date"] = "Date illisible : écrivez-la JJ/MM/AAAA."
		}
		op.Date = d
	}
	if f.Amount != "" {
		m, err := money.Parse(f.Amount)
		if err != nil {
			bad["amount"] = fmt.Sprintf("Montant illisible : « %s ».", f.Amount)
		}
		op.Amount = m
	}
	mode, ok := ledger.ParseMode(f.Mode)
	if !ok {
		bad["mode"] = fmt.Sprintf("Mode de règlement inconnu : « %s ».", f.Mode)
	}
	op.Mode = mode
	if op.Kind == ledger.Transfert {
		op.Counterpart = ledger.Treasury(f.Counterpart)
		return op, bad
	}
	for _, l := range f.Lines {
		line := ledger.Line{Account: l.Account}
		if l.Amount != "" {
			m, err := money.Parse(l.Amount)
			if err != nil {
				bad["lines"] = fmt.Sprintf("Montant illisible dans la ventilation : « %s ».", l.Amount)
			}
			line.Amount = m
		}
		op.Lines = append(op.Lines, line)
	}
	// One account without an amount takes the whole amount: the common
	// case of an operation that is not split.
	if len(op.Lines) == 1 && f.Lines[0].Amount == "" {
		op.Lines[0].Amount = op.Amount
		f.Lines[0].Amount = op.Amount.Number()
	}
	return op, bad
}

// restOf says how much of the amount is left to ventilate.
func restOf(op ledger.Operation, f *entryForm) ventilationRest {
	if op.Kind == ledger.Transfert || f.Amount == "" {
		return ventilationRest{}
	}
	switch rest := op.Amount - op.Ventilated(); {
	case rest == 0:
		return ventilationRest{Shown: true, Balance: true, Message: "Ventilation équilibrée."}
	case rest > 0:
		return ventilationRest{Shown: true, Message: "Reste à ventiler : " + rest.String() + "."}
	default:
		return ventilationRest{Shown: true, Message: "Ventilé en trop : " + (-rest).String() + "."}
	}
}

// fieldErrors spreads a rule error of the store over the form's fields.
func (f *entryForm) fieldErrors(err error) {
	var inv ledger.Invalid
	if errors.As(err, &inv) {
		for _, e := range inv {
			msg := capitalize(e.Msg)
			if prev, ok := f.Field[e.Field]; ok {
				msg = prev + " " + msg
			}
			f.Field[e.Field] = msg
		}
		return
	}
	if msg, ok := fault.Message(err); ok {
		f.Errors = append(f.Errors, msg)
	}
}

// capitalize makes a ledger message a capitalize.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	if !strings.HasSuffix(s, ".") {
		return string(r) + "."
	}
	return string(r)
}

// csrfToken returns the session's CSRF token for forms rendered outside a
// Page (htmx partials).
func csrfToken(c *gin.Context) string {
	if s := currentSession(c); s != nil {
		return s.CSRF
	}
	return ""
}

// prefill sets the form from links of the other book pages: "advance money
// to a régie", "settle a régie", "enter a class expense".
func (f *entryForm) prefill(v url.Values, b *store.Book) {
	if k := v.Get("saisie"); k == string(ledger.Recette) || k == string(ledger.Depense) || k == string(ledger.Transfert) {
		f.Kind = k
		f.Piece = ledger.NextPiece(service.Pieces(b.Ops), ledger.Kind(k))
	}
	if t := v.Get("de"); t != "" {
		f.Treasury = t
	}
	if t := v.Get("vers"); t != "" {
		f.Counterpart = t
	}
	if m := v.Get("montant"); m != "" {
		f.Amount = m
	}
	if l := v.Get("libelle"); l != "" {
		f.Libelle = l
	}
	if f.Kind == string(ledger.Transfert) || ledger.Treasury(f.Treasury) != ledger.Banque {
		f.Mode = string(ledger.Especes)
		if f.Treasury == string(ledger.Banque) {
			f.Mode = string(ledger.Cheque)
		}
	}
}

// projectNames lists the projects named in the book, sorted, for the
// entry form's suggestions.
func projectNames(ops []ledger.Operation) []string {
	seen := map[string]bool{}
	var out []string
	for i := range ops {
		if p := ops[i].Project; p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
