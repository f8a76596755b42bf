package ledger

import "time"

// OpenAt reports whether op is an open item of the compte courant at the
// end of day date: it moves the bank, it is dated on or before date, and it
// is not ticked on a statement dated on or before date (never ticked, or
// ticked later: a cheque written on 25/08 and cashed on 10/09 is open at
// 31/08). Only the civil days of the dates count. The open items explain
// the gap between the statement and the book in the état de
// rapprochement, and the closing keeps those at 31 August.
func (op *Operation) OpenAt(date time.Time) bool {
	at := dayKey(date)
	if !op.Touches(Banque) || dayKey(op.Date) > at {
		return false
	}
	return op.Ticked == nil || dayKey(*op.Ticked) > at
}

// OpenItems returns the operations of ops open at date (see OpenAt), in
// the order of ops. The rows are copies: changing them leaves ops as it is.
func OpenItems(ops []Operation, date time.Time) []Operation {
	var out []Operation
	for i := range ops {
		if ops[i].OpenAt(date) {
			out = append(out, ops[i].Clone())
		}
	}
	return out
}
