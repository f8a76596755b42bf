package ledger

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"retkoop/app/money"
)

// Balances holds the balance of each treasury (banque, caisse, régies).
// A missing treasury has a zero balance.
type Balances map[Treasury]money.Money

// Total returns the sum over every treasury, régies included.
func (b Balances) Total() money.Money {
	var t money.Money
	for _, m := range b {
		t += m
	}
	return t
}

// Treasuries returns the bank and cash part in the CRF's shape. Régies are
// left out: the CRF expects them settled to zero.
func (b Balances) Treasuries() Treasuries {
	return Treasuries{Banque: b[Banque], Caisse: b[Caisse], Total: b[Banque] + b[Caisse]}
}

// BalancesOf turns CRF-shaped opening balances into Balances.
func BalancesOf(t Treasuries) Balances {
	return Balances{Banque: t.Banque, Caisse: t.Caisse}
}

// Clone returns an independent copy.
func (b Balances) Clone() Balances {
	c := make(Balances, len(b)+1)
	for k, v := range b {
		c[k] = v
	}
	return c
}

// SortOps puts operations in the book's order: by day, then by ID (the
// order of entry), operations not saved yet (ID 0) last; ties keep their
// order, so a CSV import stays in file order.
func SortOps(ops []Operation) {
	if out, changed := sortedCopy(ops); changed {
		copy(ops, out)
	}
}

// sortedCopy returns the operations in the book's order in a new slice, or
// ops itself and false when they are sorted already. Sorting small keys then
// permuting once is several times faster than swapping whole operations and
// recomputing civil dates in every comparison; books from the store usually
// arrive sorted.
func sortedCopy(ops []Operation) ([]Operation, bool) {
	keys := make([]sortKey, len(ops))
	sorted := true
	for i := range ops {
		id := ops[i].ID
		if id == 0 {
			id = math.MaxInt64
		}
		keys[i] = sortKey{day: dayKey(ops[i].Date), id: id, pos: i}
		if i > 0 && keys[i-1].compare(keys[i]) > 0 {
			sorted = false
		}
	}
	if sorted {
		return ops, false
	}
	slices.SortFunc(keys, sortKey.compare)
	out := make([]Operation, len(ops))
	for i, k := range keys {
		out[i] = ops[k.pos]
	}
	return out, true
}

type sortKey struct {
	day int
	id  int64
	pos int
}

func (a sortKey) compare(b sortKey) int {
	return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.id, b.id), cmp.Compare(a.pos, b.pos))
}

// Book is a coop's book for one exercice: the opening balances (report à
// nouveau) and the operations in chronological order.
type Book struct {
	Opening Balances
	Ops     []Operation
}

// NewBook copies the operations (not their lines) and sorts them.
func NewBook(opening Balances, ops []Operation) Book {
	sorted, changed := sortedCopy(ops)
	if !changed {
		sorted = slices.Clone(ops)
	}
	return Book{Opening: opening.Clone(), Ops: sorted}
}

// Entry is one row of the book as printed: an operation and the running
// balances just after it.
type Entry struct {
	Op     *Operation
	Banque money.Money
	Caisse money.Money
	// Regie is the balance of the régie the operation touches, if any.
	Regie money.Money
}

// Entries returns the rows of the book with running balances.
func (b Book) Entries() []Entry {
	bal := b.Opening.Clone()
	out := make([]Entry, len(b.Ops))
	for i := range b.Ops {
		op := &b.Ops[i]
		apply(bal, op)
		e := Entry{Op: op, Banque: bal[Banque], Caisse: bal[Caisse]}
		switch {
		case op.Treasury.IsRegie():
			e.Regie = bal[op.Treasury]
		case op.Counterpart.IsRegie():
			e.Regie = bal[op.Counterpart]
		}
		out[i] = e
	}
	return out
}

// apply adds the effect of op to bal.
func apply(bal Balances, op *Operation) {
	switch op.Kind {
	case Recette:
		bal[op.Treasury] += op.Amount
	case Depense:
		bal[op.Treasury] -= op.Amount
	case Transfert:
		bal[op.Treasury] -= op.Amount
		bal[op.Counterpart] += op.Amount
	}
}

// Closing returns the balances after every operation.
func (b Book) Closing() Balances {
	bal := b.Opening.Clone()
	for i := range b.Ops {
		apply(bal, &b.Ops[i])
	}
	return bal
}

// BalanceAt returns the balance of t at the end of day d.
func (b Book) BalanceAt(t Treasury, d time.Time) money.Money {
	bal := b.Opening[t]
	k := dayKey(d)
	for i := range b.Ops {
		if dayKey(b.Ops[i].Date) > k {
			break
		}
		bal += b.Ops[i].Delta(t)
	}
	return bal
}

// NegativeError says that a treasury that must stay positive (the caisse, a
// régie) would be negative at the end of a day. The bank may be overdrawn
// for a day without breaking the book, so it is not checked.
type NegativeError struct {
	Treasury Treasury
	Date     time.Time // zero when the opening balance itself is negative
	Balance  money.Money
	// OpIndex is the index in Book.Ops of the last operation of that day
	// touching the treasury (for line numbers in imports).
	OpIndex int
}

// Error reads like "la caisse deviendrait négative le 12/10/2025 (-15,00 €)".
func (e *NegativeError) Error() string {
	if e.Date.IsZero() {
		return fmt.Sprintf("%s est négative dès l'ouverture de l'exercice (%s)", e.Treasury.Label(), e.Balance)
	}
	return fmt.Sprintf("%s deviendrait négative le %s (%s)", e.Treasury.Label(), frDate(e.Date), e.Balance)
}

// Is makes errors.Is(err, ErrInvalid) true: refusing the change is a
// validation failure, not a fault.
func (e *NegativeError) Is(target error) bool { return target == ErrInvalid }

// CheckCash returns a *NegativeError for the first day on which the caisse or
// a régie ends negative, or nil. Balances are compared at the end of each
// day because operations of one day may be entered in any order.
func (b Book) CheckCash() error {
	bal := b.Opening.Clone()
	var opening []touch
	for t := range bal {
		if mustStayPositive(t) {
			opening = append(opening, touch{t, -1})
		}
	}
	if err := firstNegative(bal, opening, time.Time{}); err != nil {
		return err
	}
	var today []touch // treasuries that must stay positive, touched today
	for i := range b.Ops {
		op := &b.Ops[i]
		apply(bal, op)
		for _, t := range [2]Treasury{op.Treasury, op.Counterpart} {
			if t != "" && mustStayPositive(t) {
				today = touched(today, t, i)
			}
		}
		if i+1 < len(b.Ops) && dayKey(b.Ops[i+1].Date) == dayKey(op.Date) {
			continue // the day is not over
		}
		if err := firstNegative(bal, today, op.Date); err != nil {
			return err
		}
		today = today[:0]
	}
	return nil
}

// touch records the last operation of the day touching a treasury. A slice
// beats a map here: a day touches one or two treasuries.
type touch struct {
	t     Treasury
	index int
}

func touched(today []touch, t Treasury, i int) []touch {
	for j := range today {
		if today[j].t == t {
			today[j].index = i
			return today
		}
	}
	return append(today, touch{t, i})
}

func mustStayPositive(t Treasury) bool { return t == Caisse || t.IsRegie() }

// firstNegative reports, in a fixed order (caisse, then régies by id), the
// first treasury touched today that ended the day negative.
func firstNegative(bal Balances, today []touch, day time.Time) error {
	var worst *touch
	for j := range today {
		c := &today[j]
		if bal[c.t] >= 0 {
			continue
		}
		if worst == nil || namedFirst(c.t, worst.t) {
			worst = c
		}
	}
	if worst == nil {
		return nil
	}
	return &NegativeError{Treasury: worst.t, Date: day, Balance: bal[worst.t], OpIndex: worst.index}
}

// namedFirst orders the treasuries of a message: the caisse first, then the
// régies by id.
func namedFirst(a, b Treasury) bool {
	if (a == Caisse) != (b == Caisse) {
		return a == Caisse
	}
	return a < b
}

// CheckAdd tells whether adding op keeps the caisse and the régies positive.
func (b Book) CheckAdd(op Operation) error {
	return b.with(-1, &op).CheckCash()
}

// CheckUpdate tells whether replacing the operation with op.ID by op keeps
// the caisse and the régies positive (moving a cash expense earlier can
// break a later day).
func (b Book) CheckUpdate(op Operation) error {
	return b.with(op.ID, &op).CheckCash()
}

// CheckDelete tells whether deleting the operation with that ID keeps the
// caisse and the régies positive (deleting a withdrawal can break the days
// after it).
func (b Book) CheckDelete(id int64) error {
	return b.with(id, nil).CheckCash()
}

// with returns a book without the operation removeID (when > 0) and with add
// (when not nil), sorted.
func (b Book) with(removeID int64, add *Operation) Book {
	ops := make([]Operation, 0, len(b.Ops)+1)
	for _, op := range b.Ops {
		if removeID > 0 && op.ID == removeID {
			continue
		}
		ops = append(ops, op)
	}
	if add != nil {
		ops = append(ops, *add)
	}
	SortOps(ops)
	return Book{Opening: b.Opening, Ops: ops}
}
