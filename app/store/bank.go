package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/money"
)

// Statuses of a bank line.
const (
	BankUnmatched = "unmatched" // nothing in the book explains it yet
	BankProposed  = "proposed"  // the matcher proposes operations; one click confirms
	BankTicked    = "ticked"    // paired with operations of the book, which are ticked
)

// statementRow is a row of bank_statements.
type statementRow struct {
	bun.BaseModel `bun:"table:bank_statements,alias:bs"`

	ID         int64        `bun:"id,pk,autoincrement"`
	CoopID     int64        `bun:"coop_id"`
	FileName   string       `bun:"file_name"`
	SHA256     string       `bun:"sha256"`
	AccountID  string       `bun:"account_id"`
	StartDate  string       `bun:"start_date"`
	EndDate    string       `bun:"end_date"`
	Opening    *money.Money `bun:"opening_balance"`
	Closing    *money.Money `bun:"closing_balance"`
	LineCount  int          `bun:"line_count"`
	ImportedAt time.Time    `bun:"imported_at"`
	ImportedBy *int64       `bun:"imported_by"`
}

// bankLineRow is a row of bank_lines.
type bankLineRow struct {
	bun.BaseModel `bun:"table:bank_lines,alias:bl"`

	ID          int64       `bun:"id,pk,autoincrement"`
	CoopID      int64       `bun:"coop_id"`
	StatementID int64       `bun:"statement_id"`
	Date        string      `bun:"date"`
	Label       string      `bun:"label"`
	Amount      money.Money `bun:"amount"`
	FITID       string      `bun:"fitid"`
	Key         string      `bun:"dedupe_key"`
	Cheque      string      `bun:"cheque"`
	Status      string      `bun:"status"`
	Proposal    string      `bun:"proposal"`
}

// mappingRow is a row of bank_mappings.
type mappingRow struct {
	bun.BaseModel `bun:"table:bank_mappings,alias:bm"`

	CoopID    int64     `bun:"coop_id,pk"`
	Signature string    `bun:"signature"`
	Mapping   string    `bun:"mapping"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// BankStatement is one imported statement of the coop's compte courant.
type BankStatement struct {
	ID         int64
	FileName   string
	SHA256     string
	AccountID  string
	Start, End time.Time
	Opening    *money.Money // nil when unknown
	Closing    *money.Money // nil when unknown: the mandataire may enter it
	LineCount  int          // lines in the file, duplicates included
	ImportedAt time.Time
}

// Period is what the état de rapprochement needs of the statement.
func (s *BankStatement) Period() bank.Period {
	return bank.Period{Start: s.Start, End: s.End, Opening: s.Opening, Closing: s.Closing}
}

// BankLine is a line of an imported statement with where it stands.
type BankLine struct {
	bank.BankLine
	StatementID int64
	Status      string         // BankUnmatched, BankProposed or BankTicked
	Proposal    *bank.Proposal // set when Status is BankProposed
	Matches     []BankMatch    // set when Status is BankTicked
}

// OperationIDs lists the operations the line is paired with.
func (l BankLine) OperationIDs() []int64 {
	ids := make([]int64, len(l.Matches))
	for i, m := range l.Matches {
		ids[i] = m.OperationID
	}
	return ids
}

// Auto reports whether the line was ticked without the mandataire.
func (l BankLine) Auto() bool { return len(l.Matches) > 0 && l.Matches[0].Auto }

// NewBankStatement is a statement read from a file, to record.
type NewBankStatement struct {
	FileName, SHA256 string
	Statement        bank.Statement
	// Start and End are the days covered (bank.Statement.Period).
	Start, End time.Time
}

func (r *statementRow) statement() (BankStatement, error) {
	s := BankStatement{ID: r.ID, FileName: r.FileName, SHA256: r.SHA256, AccountID: r.AccountID, Opening: r.Opening,
		Closing: r.Closing, LineCount: r.LineCount, ImportedAt: r.ImportedAt}
	var err error
	if s.Start, err = time.Parse(dayLayout, r.StartDate); err != nil {
		return s, fmt.Errorf("statement %d: %w", r.ID, err)
	}
	if s.End, err = time.Parse(dayLayout, r.EndDate); err != nil {
		return s, fmt.Errorf("statement %d: %w", r.ID, err)
	}
	return s, nil
}

// lockBank serializes the bank writes of one coop on PostgreSQL (SQLite's
// immediate transactions already are), so that two imports of the same
// file never race on the dedupe keys nor two pairings on one operation.
func (c *CoopScope) lockBank(ctx context.Context) error {
	if !c.s.postgres {
		return nil
	}
	if _, err := c.own((*Coop)(nil)).Column("id").For("UPDATE").Exec(ctx); err != nil {
		return fmt.Errorf("lock bank: %w", err)
	}
	return nil
}

// AddBankStatement records a statement read from a file, or finds the one
// already recorded for the same file and account (created false). Call it
// inside the import's transaction.
func (c *CoopScope) AddBankStatement(ctx context.Context, in NewBankStatement) (st BankStatement, created bool, err error) {
	if err := c.writable(); err != nil {
		return st, false, err
	}
	err = c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.lockBank(ctx); err != nil {
			return err
		}
		var rows []statementRow
		if err := tx.sel(&rows).Where("bs.sha256 = ? AND bs.account_id = ?", in.SHA256, in.Statement.AccountID).Scan(ctx); err != nil {
			return fmt.Errorf("find statement: %w", err)
		}
		if len(rows) > 0 {
			st, err = rows[0].statement()
			return err
		}
		row := statementRow{CoopID: tx.id, FileName: in.FileName, SHA256: in.SHA256, AccountID: in.Statement.AccountID,
			StartDate: in.Start.Format(dayLayout), EndDate: in.End.Format(dayLayout), Opening: in.Statement.OpeningBalance,
			Closing: in.Statement.ClosingBalance, LineCount: len(in.Statement.Lines), ImportedAt: tx.s.now().UTC(), ImportedBy: tx.actor}
		if _, err := tx.ins(&row).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert statement: %w", err)
		}
		created = true
		if st, err = row.statement(); err != nil {
			return err
		}
		return tx.Audit(ctx, "bank.statement", map[string]any{"id": row.ID, "fichier": row.FileName, "du": row.StartDate,
			"au": row.EndDate, "lignes": row.LineCount, "solde": row.Closing})
	})
	return st, created, err
}

// AddBankLines adds to the statement the lines whose dedupe key the coop
// has not imported yet, and returns them with their ids, and how many were
// already there. Re-importing a statement, or one that overlaps it, adds
// nothing twice.
func (c *CoopScope) AddBankLines(ctx context.Context, statementID int64, lines []bank.Line) (added []bank.BankLine, dups int, err error) {
	if err := c.writable(); err != nil {
		return nil, 0, err
	}
	err = c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.lockBank(ctx); err != nil {
			return err
		}
		seen := map[string]bool{}
		for i := 0; i < len(lines); i += 500 {
			keys := make([]string, 0, 500)
			for _, l := range lines[i:min(i+500, len(lines))] {
				keys = append(keys, l.Key)
			}
			var found []string
			if err := tx.sel((*bankLineRow)(nil)).Column("bl.dedupe_key").Where("bl.dedupe_key IN (?)", bun.In(keys)).
				Scan(ctx, &found); err != nil {
				return fmt.Errorf("bank line keys: %w", err)
			}
			for _, k := range found {
				seen[k] = true
			}
		}
		var rows []bankLineRow
		for _, l := range lines {
			if seen[l.Key] {
				dups++
				continue
			}
			seen[l.Key] = true
			rows = append(rows, bankLineRow{CoopID: tx.id, StatementID: statementID, Date: l.Date.Format(dayLayout),
				Label: l.Label, Amount: l.Amount, FITID: l.FITID, Key: l.Key, Cheque: l.Cheque, Status: BankUnmatched})
		}
		if len(rows) == 0 {
			return nil
		}
		if _, err := tx.ins(&rows).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert bank lines: %w", err)
		}
		for _, r := range rows {
			bl, err := r.line()
			if err != nil {
				return err
			}
			added = append(added, bl.BankLine)
		}
		return nil
	})
	return added, dups, err
}

func (r *bankLineRow) line() (BankLine, error) {
	d, err := time.Parse(dayLayout, r.Date)
	if err != nil {
		return BankLine{}, fmt.Errorf("bank line %d: date %q: %w", r.ID, r.Date, err)
	}
	l := BankLine{BankLine: bank.BankLine{ID: r.ID, Line: bank.Line{Date: d, Label: r.Label, Amount: r.Amount, FITID: r.FITID,
		Key: r.Key, Cheque: r.Cheque}}, StatementID: r.StatementID, Status: r.Status}
	if r.Proposal != "" {
		var p bank.Proposal
		if err := json.Unmarshal([]byte(r.Proposal), &p); err != nil {
			return l, fmt.Errorf("bank line %d: proposal: %w", r.ID, err)
		}
		l.Proposal = &p
	}
	return l, nil
}

// BankStatements lists the coop's statements, the most recent period
// first.
func (c *CoopScope) BankStatements(ctx context.Context) ([]BankStatement, error) {
	var rows []statementRow
	if err := c.sel(&rows).Order("bs.end_date DESC", "bs.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("bank statements: %w", err)
	}
	out := make([]BankStatement, len(rows))
	for i := range rows {
		s, err := rows[i].statement()
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// BankStatement returns one of the coop's statements; another coop's is
// fault.ErrNotFound.
func (c *CoopScope) BankStatement(ctx context.Context, id int64) (*BankStatement, error) {
	var row statementRow
	if err := c.sel(&row).Where("bs.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("bank statement %d: %w", id, notFound(err))
	}
	s, err := row.statement()
	return &s, err
}

// SetStatementClosing records the closing balance the mandataire read on a
// statement whose file did not give it.
func (c *CoopScope) SetStatementClosing(ctx context.Context, id int64, closing money.Money) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		before, err := tx.BankStatement(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.upd((*statementRow)(nil)).Set("closing_balance = ?", closing).Where("bs.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("set statement closing: %w", err)
		}
		return tx.Audit(ctx, "bank.statement.solde", map[string]any{"id": id, "avant": before.Closing, "solde": closing})
	})
}

// BankHistory returns what the bank's balance at a date is computed from:
// the periods of every statement (in import order) and every line.
func (c *CoopScope) BankHistory(ctx context.Context) ([]bank.Period, []bank.Line, error) {
	var rows []statementRow
	if err := c.sel(&rows).Order("bs.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("bank history: %w", err)
	}
	periods := make([]bank.Period, len(rows))
	for i := range rows {
		s, err := rows[i].statement()
		if err != nil {
			return nil, nil, err
		}
		periods[i] = s.Period()
	}
	var lines []bankLineRow
	if err := c.sel(&lines).Column("bl.id", "bl.date", "bl.amount").Order("bl.date", "bl.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("bank history lines: %w", err)
	}
	out := make([]bank.Line, len(lines))
	for i := range lines {
		d, err := time.Parse(dayLayout, lines[i].Date)
		if err != nil {
			return nil, nil, fmt.Errorf("bank line %d: %w", lines[i].ID, err)
		}
		out[i] = bank.Line{Date: d, Amount: lines[i].Amount}
	}
	return periods, out, nil
}

// BankLineFilter selects bank lines; zero fields select everything.
type BankLineFilter struct {
	StatementID int64
	IDs         []int64
	Statuses    []string // effective statuses
}

// BankLines returns the coop's bank lines by date, with their proposal
// and pairings. A line whose operations were all deleted from the book is
// unmatched again, whatever its stored status.
func (c *CoopScope) BankLines(ctx context.Context, f BankLineFilter) ([]BankLine, error) {
	var rows []bankLineRow
	q := c.sel(&rows).Order("bl.date", "bl.id")
	if f.StatementID != 0 {
		q = q.Where("bl.statement_id = ?", f.StatementID)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		q = q.Where("bl.id IN (?)", bun.In(f.IDs))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("bank lines: %w", err)
	}
	matches, err := c.bankMatches(ctx, rows)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	for _, s := range f.Statuses {
		keep[s] = true
	}
	out := make([]BankLine, 0, len(rows))
	for i := range rows {
		l, err := rows[i].line()
		if err != nil {
			return nil, err
		}
		l.Matches = matches[l.ID]
		switch {
		case len(l.Matches) > 0:
			l.Status, l.Proposal = BankTicked, nil
		case l.Status == BankTicked || (l.Status == BankProposed && l.Proposal == nil):
			l.Status, l.Proposal = BankUnmatched, nil
		}
		if len(keep) == 0 || keep[l.Status] {
			out = append(out, l)
		}
	}
	return out, nil
}

// BankLine returns one of the coop's bank lines; another coop's is
// fault.ErrNotFound.
func (c *CoopScope) BankLine(ctx context.Context, id int64) (*BankLine, error) {
	ls, err := c.BankLines(ctx, BankLineFilter{IDs: []int64{id}})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, fmt.Errorf("bank line %d: %w", id, fault.ErrNotFound)
	}
	return &ls[0], nil
}

// BankMapping returns the CSV column mapping the coop confirmed last and
// the signature of the header row it was made for; ok false when none.
func (c *CoopScope) BankMapping(ctx context.Context) (signature string, m bank.Mapping, ok bool, err error) {
	var rows []mappingRow
	if err := c.sel(&rows).Scan(ctx); err != nil {
		return "", m, false, fmt.Errorf("bank mapping: %w", err)
	}
	if len(rows) == 0 {
		return "", m, false, nil
	}
	if err := json.Unmarshal([]byte(rows[0].Mapping), &m); err != nil {
		return "", m, false, fmt.Errorf("bank mapping: %w", err)
	}
	return rows[0].Signature, m, true, nil
}

// SaveBankMapping remembers the CSV column mapping the mandataire
// confirmed, for the next files with the same header row.
func (c *CoopScope) SaveBankMapping(ctx context.Context, signature string, m bank.Mapping) error {
	if err := c.writable(); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("save bank mapping: %w", err)
	}
	row := mappingRow{CoopID: c.id, Signature: signature, Mapping: string(b), UpdatedAt: c.s.now().UTC()}
	if _, err := c.ins(&row).On("CONFLICT (coop_id) DO UPDATE").
		Set("signature = EXCLUDED.signature").Set("mapping = EXCLUDED.mapping").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("save bank mapping: %w", err)
	}
	return nil
}

// joinReasons stores the matcher's reasons in one column.
func joinReasons(r []string) string { return strings.Join(r, " ; ") }

func splitReasons(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ; ")
}
