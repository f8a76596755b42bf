// Package ledger holds the rules of a coop's book (cahier de comptabilité):
// operations, ventilation, balances, pièce and cheque numbering, and the
// compte-rendu financier computed from them. Pure: no HTTP, no SQL, no
// spreadsheet (package report writes the XLSX and PDF documents);
// workflow's TestPureImportGraph keeps it so.
package ledger
