// Package iban validates and formats IBANs (ISO 13616, mod-97 check).
package iban

import (
	"fmt"
	"math/big"
	"strings"
)

// Normalize removes spaces and upper-cases.
func Normalize(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "\u00a0", "", "-", "").Replace(strings.TrimSpace(s)))
}

// Validate normalises s and checks its length and check digits; the error
// is a French sentence.
func Validate(s string) (string, error) {
	v := Normalize(s)
	if len(v) < 15 || len(v) > 34 {
		return v, fmt.Errorf("l'IBAN « %s » n'a pas la bonne longueur", s)
	}
	if v[:2] == "FR" && len(v) != 27 {
		return v, fmt.Errorf("l'IBAN français « %s » doit comporter 27 caractères", s)
	}
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return v, fmt.Errorf("l'IBAN « %s » contient un caractère invalide", s)
		}
	}
	if mod97(v[4:]+v[:4]) != 1 {
		return v, fmt.Errorf("la clé de l'IBAN « %s » est fausse", s)
	}
	return v, nil
}

func mod97(s string) int64 {
	var b strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&b, "%d", c-'A'+10)
		} else {
			b.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

// Make builds a valid IBAN from a country code and BBAN (demo data, tests).
func Make(country, bban string) string {
	m := mod97(bban + country + "00")
	return fmt.Sprintf("%s%02d%s", country, 98-m, bban)
}

// Format groups an IBAN by four characters.
func Format(s string) string {
	v := Normalize(s)
	var b strings.Builder
	for i, c := range v {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
