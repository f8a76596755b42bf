package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
)

// dayLayout is how dates are stored in TEXT columns of the book.
const dayLayout = "2006-01-02"

// operationRow is a row of operations: a ledger.Operation as stored, with
// the exercice it belongs to, its pièce justificative and idempotency key.
type operationRow struct {
	bun.BaseModel `bun:"table:operations,alias:o"`

	ID          int64       `bun:"id,pk,autoincrement"`
	CoopID      int64       `bun:"coop_id"`
	ExerciceID  int64       `bun:"exercice_id"`
	Date        string      `bun:"date"`
	Seq         int64       `bun:"seq"`
	Piece       string      `bun:"piece"`
	Libelle     string      `bun:"libelle"`
	Kind        string      `bun:"kind"`
	Mode        string      `bun:"mode"`
	Cheque      string      `bun:"cheque"`
	Treasury    string      `bun:"treasury"`
	Counterpart string      `bun:"counterpart"`
	Amount      money.Money `bun:"amount"`
	Project     string      `bun:"project"`
	Ticked      *string     `bun:"ticked"`
	DocumentID  *int64      `bun:"document_id"`
	IdemKey     *string     `bun:"idem_key"`
	CreatedAt   time.Time   `bun:"created_at"`
	UpdatedAt   time.Time   `bun:"updated_at"`
}

// lineRow is a row of operation_lines: one line of a ventilation.
type lineRow struct {
	bun.BaseModel `bun:"table:operation_lines,alias:ol"`

	ID          int64       `bun:"id,pk,autoincrement"`
	CoopID      int64       `bun:"coop_id"`
	OperationID int64       `bun:"operation_id"`
	Account     string      `bun:"account"`
	Amount      money.Money `bun:"amount"`
}

// OperationRecord is one operation of the book with what the store keeps
// besides the ledger's rules: its exercice and its pièce justificative.
type OperationRecord struct {
	Op         ledger.Operation
	Exercice   string
	DocumentID int64 // 0 when no pièce is attached
}

// NewOperation is an operation to add to the book.
type NewOperation struct {
	Exercice string
	Op       *ledger.Operation
	// IdemKey makes the insert idempotent: a key already used by the coop
	// returns the existing operation instead of creating a second one.
	IdemKey string
	// DocumentID attaches a stored document of the coop (0: none).
	DocumentID int64
}

// BookOperations returns the operations of the coop's exercice (with their
// ventilation lines, Ticked dates), in book order (date, seq, id).
// fault.ErrNotFound if the exercice does not exist.
func (c *CoopScope) BookOperations(ctx context.Context, exercice string) ([]ledger.Operation, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	ops, _, err := c.bookOps(ctx, ex.ID)
	return ops, err
}

// Book is everything the book pages show about one exercice.
type Book struct {
	Exercice *Exercice
	Ops      []ledger.Operation // in book order; read-only (shared cache)
	// Documents maps an operation id to its pièce justificative.
	Documents map[int64]int64
	Chart     ledger.Chart
	Regies    []ledger.Regie
}

// Book loads the exercice's book for the book pages: the exercice row, its
// operations with their lines, the chart and the régies. The operations
// come from a cache shared by every reader (see bookcache.go): they are
// read-only.
func (c *CoopScope) Book(ctx context.Context, exercice string) (*Book, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	b := &Book{Exercice: ex}
	if b.Ops, b.Documents, err = c.cachedBookOps(ctx, ex); err != nil {
		return nil, err
	}
	if b.Chart, err = c.Chart(ctx); err != nil {
		return nil, err
	}
	if b.Regies, err = c.LedgerRegies(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// assemble turns rows and their lines (sorted by operation id) into
// ledger operations, keeping the order of rows.
func assemble(rows []operationRow, lines []lineRow) ([]ledger.Operation, error) {
	byOp := make(map[int64][]ledger.Line, len(rows))
	for _, l := range lines {
		byOp[l.OperationID] = append(byOp[l.OperationID], ledger.Line{Account: l.Account, Amount: l.Amount})
	}
	ops := make([]ledger.Operation, len(rows))
	for i := range rows {
		op, err := rows[i].operation()
		if err != nil {
			return nil, err
		}
		op.Lines = byOp[rows[i].ID]
		ops[i] = op
	}
	return ops, nil
}

func (r *operationRow) operation() (ledger.Operation, error) {
	d, err := time.Parse(dayLayout, r.Date)
	if err != nil {
		return ledger.Operation{}, fmt.Errorf("operation %d: date %q: %w", r.ID, r.Date, err)
	}
	op := ledger.Operation{ID: r.ID, Date: d, Piece: r.Piece, Libelle: r.Libelle, Kind: ledger.Kind(r.Kind),
		Mode: ledger.Mode(r.Mode), Cheque: r.Cheque, Treasury: ledger.Treasury(r.Treasury),
		Counterpart: ledger.Treasury(r.Counterpart), Amount: r.Amount, Project: r.Project}
	if r.Ticked != nil {
		t, err := time.Parse(dayLayout, *r.Ticked)
		if err != nil {
			return ledger.Operation{}, fmt.Errorf("operation %d: pointage %q: %w", r.ID, *r.Ticked, err)
		}
		op.Ticked = &t
	}
	return op, nil
}

// rowOf fills the stored columns of an operation.
func rowOf(op *ledger.Operation, coopID, exerciceID int64, now time.Time) operationRow {
	r := operationRow{ID: op.ID, CoopID: coopID, ExerciceID: exerciceID, Date: op.Date.Format(dayLayout),
		Piece: op.Piece, Libelle: op.Libelle, Kind: string(op.Kind), Mode: string(op.Mode), Cheque: op.Cheque,
		Treasury: string(op.Treasury), Counterpart: string(op.Counterpart), Amount: op.Amount, Project: op.Project,
		CreatedAt: now, UpdatedAt: now}
	if op.Ticked != nil {
		s := op.Ticked.Format(dayLayout)
		r.Ticked = &s
	}
	return r
}

func linesOf(op *ledger.Operation, coopID int64) []lineRow {
	out := make([]lineRow, len(op.Lines))
	for i, l := range op.Lines {
		out[i] = lineRow{CoopID: coopID, OperationID: op.ID, Account: l.Account, Amount: l.Amount}
	}
	return out
}

// Operation returns one of the coop's operations with its lines; another
// coop's id is fault.ErrNotFound.
func (c *CoopScope) Operation(ctx context.Context, id int64) (*OperationRecord, error) {
	var row operationRow
	if err := c.sel(&row).Where("o.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("operation %d: %w", id, notFound(err))
	}
	var lines []lineRow
	if err := c.sel(&lines).Where("ol.operation_id = ?", id).Order("ol.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("operation %d lines: %w", id, err)
	}
	ops, err := assemble([]operationRow{row}, lines)
	if err != nil {
		return nil, err
	}
	var ex Exercice
	if err := c.sel(&ex).Where("e.id = ?", row.ExerciceID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("operation %d exercice: %w", id, notFound(err))
	}
	rec := &OperationRecord{Op: ops[0], Exercice: ex.Name}
	if row.DocumentID != nil {
		rec.DocumentID = *row.DocumentID
	}
	return rec, nil
}

// Chart returns the chart of accounts of the coop's AD (code → libellé).
func (c *CoopScope) Chart(ctx context.Context) (ledger.Chart, error) {
	var accs []Account
	if err := c.adSel(&accs).Column("code", "label").Scan(ctx); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	ch := make(ledger.Chart, len(accs))
	for _, a := range accs {
		ch[a.Code] = a.Label
	}
	return ch, nil
}

// lockExercice reads the exercice row; on PostgreSQL it locks it FOR UPDATE
// so that concurrent writes of one coop's book are serialized (SQLite's
// immediate transactions already are). Call it inside a transaction.
func (c *CoopScope) lockExercice(ctx context.Context, exercice string) (*Exercice, error) {
	var e Exercice
	q := c.sel(&e).Where("e.name = ?", exercice)
	if c.s.postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("exercice %s: %w", exercice, notFound(err))
	}
	return &e, nil
}

// ExerciceOpen returns the exercice row, and with it a *fault.Invalid if the
// exercice is closed. Every write of the book calls it inside its
// transaction, where it also serializes writers on PostgreSQL.
func (c *CoopScope) ExerciceOpen(ctx context.Context, exercice string) (*Exercice, error) {
	e, err := c.lockExercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	if e.State == ExerciceClosed {
		return e, fault.Invalidf("L'exercice %s est clôturé : son cahier ne peut plus être modifié.", exercice)
	}
	return e, nil
}

// bookContext loads what the ledger rules need to check a change of the
// exercice's book: the operations, the chart, the régies and the opening.
func (c *CoopScope) bookContext(ctx context.Context, ex *Exercice) (ledger.Book, ledger.Context, error) {
	ops, _, err := c.bookOps(ctx, ex.ID)
	if err != nil {
		return ledger.Book{}, ledger.Context{}, err
	}
	chart, err := c.Chart(ctx)
	if err != nil {
		return ledger.Book{}, ledger.Context{}, err
	}
	regies, err := c.LedgerRegies(ctx)
	if err != nil {
		return ledger.Book{}, ledger.Context{}, err
	}
	lex, err := ledger.ParseExercice(ex.Name)
	if err != nil {
		return ledger.Book{}, ledger.Context{}, fmt.Errorf("book context: %w", err)
	}
	book := ledger.NewBook(OpeningBalances(ex), ops)
	return book, ledger.Context{Exercice: lex, Chart: chart, Regies: regies, Pieces: ledger.PieceIndex(ops)}, nil
}

// OpeningBalances returns the exercice's report à nouveau as ledger
// balances (régies open at zero).
func OpeningBalances(ex *Exercice) ledger.Balances {
	return ledger.Balances{ledger.Banque: ex.OpeningBank, ledger.Caisse: ex.OpeningCash}
}

// InsertOperation validates op with app/ledger against the exercice (chart
// of the coop's AD, pièce uniqueness, cash never negative) inside one
// transaction, refuses a closed exercice, inserts it with its lines, audits
// it and sets op.ID. A non-empty idemKey already used by this coop returns
// (false, nil) and fills op.ID with the existing operation. Validation
// errors come back as *fault.Invalid (French).
func (c *CoopScope) InsertOperation(ctx context.Context, exercice string, op *ledger.Operation, idemKey string) (created bool, err error) {
	return c.CreateOperation(ctx, NewOperation{Exercice: exercice, Op: op, IdemKey: idemKey})
}

// CreateOperation is InsertOperation with a pièce justificative attached.
func (c *CoopScope) CreateOperation(ctx context.Context, in NewOperation) (created bool, err error) {
	if err := c.writable(); err != nil {
		return false, err
	}
	op := in.Op
	err = c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, in.Exercice)
		if err != nil {
			return err
		}
		if in.IdemKey != "" {
			if id, err := tx.operationByKey(ctx, in.IdemKey); err != nil || id != 0 {
				op.ID = id
				return err
			}
		}
		if ex.State == ExerciceClosed {
			return fault.Invalidf("L'exercice %s est clôturé : son cahier ne peut plus être modifié.", in.Exercice)
		}
		if in.DocumentID != 0 {
			if _, err := tx.Document(ctx, in.DocumentID); err != nil {
				return err
			}
		}
		book, lctx, err := tx.bookContext(ctx, ex)
		if err != nil {
			return err
		}
		op.ID = 0
		if err := ledger.Validate(*op, lctx); err != nil {
			return invalidOp(err)
		}
		if err := book.CheckAdd(*op); err != nil {
			return invalidOp(err)
		}
		row := rowOf(op, tx.id, ex.ID, tx.s.now().UTC())
		if in.IdemKey != "" {
			row.IdemKey = &in.IdemKey
		}
		if in.DocumentID != 0 {
			row.DocumentID = &in.DocumentID
		}
		if _, err := tx.ins(&row).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert operation: %w", err)
		}
		op.ID = row.ID
		if err := tx.insertLines(ctx, op); err != nil {
			return err
		}
		if err := tx.bumpBook(ctx, ex.ID); err != nil {
			return err
		}
		created = true
		return tx.Audit(ctx, "operation.create", auditOp(in.Exercice, op))
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// operationByKey returns the id of the coop's operation created with that
// idempotency key, 0 when none.
func (c *CoopScope) operationByKey(ctx context.Context, key string) (int64, error) {
	var ids []int64
	if err := c.sel((*operationRow)(nil)).Column("o.id").Where("o.idem_key = ?", key).Scan(ctx, &ids); err != nil {
		return 0, fmt.Errorf("operation by key: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

func (c *CoopScope) insertLines(ctx context.Context, op *ledger.Operation) error {
	if len(op.Lines) == 0 {
		return nil
	}
	lines := linesOf(op, c.id)
	if _, err := c.ins(&lines).Exec(ctx); err != nil {
		return fmt.Errorf("insert lines: %w", err)
	}
	return nil
}

// invalidOp turns a broken ledger rule into a user error whose message
// starts with a capital and ends with a full stop, keeping the ledger
// error reachable (errors.As to ledger.Invalid for per-field messages).
func invalidOp(err error) error {
	msg := err.Error()
	if msg != "" {
		r := []rune(msg)
		if r[0] >= 'a' && r[0] <= 'z' {
			r[0] -= 'a' - 'A'
		}
		msg = string(r)
		if last := r[len(r)-1]; last != '.' && last != '!' && last != '?' {
			msg += "."
		}
	}
	return &fault.Invalid{Msg: msg, Err: err}
}

// auditOp is the audit detail of an operation.
func auditOp(exercice string, op *ledger.Operation) map[string]any {
	lines := make([]map[string]any, len(op.Lines))
	for i, l := range op.Lines {
		lines[i] = map[string]any{"compte": l.Account, "montant": l.Amount}
	}
	return map[string]any{"id": op.ID, "exercice": exercice, "date": op.Date.Format(dayLayout), "piece": op.Piece,
		"libelle": op.Libelle, "type": op.Kind, "mode": op.Mode, "cheque": op.Cheque, "tresorerie": op.Treasury,
		"vers": op.Counterpart, "montant": op.Amount, "projet": op.Project, "ventilation": lines}
}
