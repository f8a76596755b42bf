package bank

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/aclindsa/ofxgo"

	"retkoop/app/money"
)

// ReadOFX reads an OFX file, 1.x (SGML) or 2.x (XML), and returns one
// statement per bank account it holds, in file order.
//
// French banks' OFX 1.x files are usually Windows-1252 and their headers
// vary (missing lines, blanks, a BOM); the text is transcoded to UTF-8 and
// the SGML header rewritten to the canonical one ofxgo expects. A file that
// decodes but fails ofxgo's strict validation is still read when it has
// statements, because banks routinely omit fields the spec requires (a
// LANGUAGE, a TRNUID) that matter nothing for reconciliation.
func ReadOFX(b []byte) (sts []Statement, err error) {
	text, _ := decodeText(b)
	text = canonicalOFX(text)

	resp, perr := parseOFX(text)
	if resp == nil {
		return nil, fmt.Errorf("lecture du relevé OFX : %w", formatErr("fichier OFX invalide (%v)", perr))
	}
	for _, msg := range resp.Bank {
		sr, ok := msg.(*ofxgo.StatementResponse)
		if !ok {
			continue
		}
		st, err := ofxStatement(sr)
		if err != nil {
			return nil, err
		}
		sts = append(sts, st)
	}
	if len(sts) == 0 {
		if perr != nil {
			return nil, fmt.Errorf("lecture du relevé OFX : %w", formatErr("fichier OFX invalide (%v)", perr))
		}
		return nil, fmt.Errorf("lecture du relevé OFX : %w", formatErr("le fichier OFX ne contient aucun relevé de compte bancaire"))
	}
	return sts, nil
}

// parseOFX calls ofxgo, turning a panic of the third-party parser on
// malformed input into an error: a bank file must never bring the server
// down.
func parseOFX(text string) (resp *ofxgo.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("analyse impossible : %v", r)
		}
	}()
	return ofxgo.ParseResponse(strings.NewReader(text))
}

var (
	sgmlVersionRe = regexp.MustCompile(`VERSION:\s*(\d{3})`)
	xmlEncodingRe = regexp.MustCompile(`(<\?xml[^>]*encoding=)["'][^"']*["']`)
)

// canonicalOFX rewrites what precedes the <OFX> element so that ofxgo reads
// it: for SGML, the nine header lines in the spec's order with ENCODING and
// CHARSET saying UTF-8 (the text has been transcoded); for XML, an encoding
// declaration saying UTF-8. A file with no header at all is taken as SGML,
// which is what banks that omit it send.
func canonicalOFX(text string) string {
	text = strings.TrimLeft(text, " \t\r\n")
	start := strings.Index(text, "<OFX>")
	if lower := strings.Index(text, "<ofx>"); lower >= 0 && (start < 0 || lower < start) {
		start = lower
	}
	if start < 0 {
		return text
	}
	header := text[:start]
	if strings.Contains(header, "<?xml") || strings.Contains(header, "<?OFX") {
		return xmlEncodingRe.ReplaceAllString(header, `${1}"UTF-8"`) + text[start:]
	}
	version := "102"
	if m := sgmlVersionRe.FindStringSubmatch(header); m != nil && m[1] >= "102" && m[1] <= "160" {
		version = m[1]
	}
	return "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:" + version +
		"\r\nSECURITY:NONE\r\nENCODING:UTF-8\r\nCHARSET:UTF-8\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n" +
		text[start:]
}

// ofxStatement converts one ofxgo statement.
func ofxStatement(sr *ofxgo.StatementResponse) (Statement, error) {
	st := Statement{AccountID: strings.TrimSpace(string(sr.BankAcctFrom.AcctID))}
	if !sr.DtAsOf.IsZero() {
		bal, err := ofxMoney(&sr.BalAmt.Rat)
		if err != nil {
			return Statement{}, fmt.Errorf("lecture du relevé OFX : %w", formatErr("solde du compte : %v", err))
		}
		st.ClosingBalance = &bal
	}
	if sr.BankTranList == nil {
		return st, nil
	}
	if !sr.BankTranList.DtStart.IsZero() {
		st.Start = civil(sr.BankTranList.DtStart.Time)
	}
	if !sr.BankTranList.DtEnd.IsZero() {
		st.End = civil(sr.BankTranList.DtEnd.Time)
	}
	for i, tr := range sr.BankTranList.Transactions {
		if tr.DtPosted.IsZero() {
			return Statement{}, fmt.Errorf("lecture du relevé OFX : %w", formatErr("opération n° %d sans date", i+1))
		}
		amount, err := ofxMoney(&tr.TrnAmt.Rat)
		if err != nil {
			return Statement{}, fmt.Errorf("lecture du relevé OFX : %w", formatErr("opération n° %d : %v", i+1, err))
		}
		l := Line{
			Date:   civil(tr.DtPosted.Time),
			Label:  ofxLabel(tr),
			Amount: amount,
			FITID:  strings.TrimSpace(string(tr.FiTID)),
			Cheque: strings.TrimLeft(strings.TrimSpace(string(tr.CheckNum)), "0"),
		}
		if l.Cheque == "" {
			l.Cheque = ChequeNumber(l.Label)
		}
		st.Lines = append(st.Lines, l)
	}
	assignKeys(st.Lines)
	return st, nil
}

// ofxLabel joins NAME (or PAYEE) and MEMO: French banks cut NAME at 32
// characters and put the rest, or the detail, in MEMO.
func ofxLabel(tr ofxgo.Transaction) string {
	name := collapseSpace(string(tr.Name))
	if name == "" && tr.Payee != nil {
		name = collapseSpace(string(tr.Payee.Name))
	}
	memo := collapseSpace(string(tr.Memo))
	switch {
	case memo == "" || strings.Contains(name, memo):
		return name
	case name == "" || strings.Contains(memo, name):
		return memo
	}
	return name + " " + memo
}

// maxCents bounds amounts to what money.Parse accepts (13 digits of euros).
var maxCents = big.NewInt(1e15)

// ofxMoney converts an OFX amount to cents, rounding half away from zero
// (some banks write more than two decimals).
func ofxMoney(r *big.Rat) (money.Money, error) {
	scaled := new(big.Rat).Mul(r, big.NewRat(100, 1))
	num, den := scaled.Num(), scaled.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	// |rem|*2 >= den → round away from zero.
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if new(big.Int).Abs(q).Cmp(maxCents) > 0 {
		return 0, fmt.Errorf("montant %s trop grand", r.FloatString(2))
	}
	return money.Money(q.Int64()), nil
}
