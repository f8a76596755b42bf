package bank

import "strings"

// IsOFX reports whether a file is an OFX statement (else it is read as a
// CSV one): the content decides, the extension only breaks a tie.
func IsOFX(name string, b []byte) bool { return isOFX(name, b) }

// Signature identifies the shape of a CSV statement: the cells of the row
// the mapping names as the header, trimmed and lower-cased. A mapping the
// mandataire confirmed is applied again to the files with the same
// signature, those of the same bank's export; "" when the row is not in
// the preview.
func (p Preview) Signature(m Mapping) string {
	if m.HeaderRow < 0 || m.HeaderRow >= len(p.Rows) {
		return ""
	}
	cells := make([]string, len(p.Rows[m.HeaderRow].Cells))
	for i, c := range p.Rows[m.HeaderRow].Cells {
		cells[i] = strings.ToLower(strings.TrimSpace(c))
	}
	return p.Separator + strings.Join(cells, "|")
}

// SameAccount reports whether a statement's account id can be the account
// of that IBAN. Banks write the account number in many ways (11 digits,
// with or without the RIB key, the whole RIB, the IBAN), so the test is
// that one contains the other once leading zeros are dropped; an unknown
// side (empty, or too short to mean anything) is not a contradiction.
func SameAccount(iban, accountID string) bool {
	norm := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToUpper(s) {
			if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	ib, acct := norm(iban), norm(accountID)
	if len(ib) < 15 || len(strings.TrimLeft(acct, "0")) < 5 {
		return true
	}
	bban := ib[4:]
	if strings.HasPrefix(acct, ib[:2]) && len(acct) > 4 { // an IBAN
		acct = acct[4:]
	}
	if len(acct) >= 21 && len(bban) >= 21 { // a whole RIB: bank, branch and account must agree
		return acct[:21] == bban[:21]
	}
	a := strings.TrimLeft(acct, "0")
	number := strings.TrimLeft(bban[min(10, len(bban)):min(21, len(bban))], "0") // FR: 5 bank + 5 branch + 11 account
	return strings.Contains(bban, a) || (number != "" && strings.Contains(a, number))
}
