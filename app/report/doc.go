// Package report turns data already computed elsewhere (a ledger.CRF, a
// ledger.Consolidated, campaign counts, issued passwords) into the documents
// people print, sign, send and open: the CRF and quitus PDFs with their QR
// code, the password letters, XLSX and CSV exports, and the campaign's
// progress chart in SVG. It computes no accounting figure itself, touches no
// database and knows nothing of HTTP: callers pass the figures and a writer.
//
// Amounts are written the French way ("1 234,56 €" in PDFs, "1234,56" in CSV,
// numbers with a euro format in XLSX). PDFs embed the DejaVu fonts so accents
// and "€" print on any server.
package report
