// Package money is the one money type of retkoop: integer cents with French
// parsing and formatting. Floats never hold an amount.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in euro cents.
type Money int64

// Euros builds a Money from whole euros and cents (both with the same sign).
func Euros(euros, cents int64) Money { return Money(euros*100 + cents) }

// ErrInvalid is wrapped by every parsing error.
var ErrInvalid = errors.New("montant invalide")

// nbsp is the no-break space used between thousands groups and before "€".
const nbsp = "\u00a0"

// Parse reads an amount written the French way ("1 234,56", "1234,5 €",
// "-12,00") or the plain way ("1234.56"). Spaces, no-break spaces and a
// trailing euro sign are ignored. More than two decimals is an error rather
// than a silent rounding.
func Parse(s string) (Money, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "€")
	s = strings.TrimSuffix(strings.TrimSpace(s), "EUR")
	// Spaces separate thousands: every group after the first has exactly
	// three digits ("1 2345,6" is a typo, not 12 345,60 €).
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\t' || r == '\'' })
	for _, f := range fields[min(1, len(fields)):] {
		if i := strings.IndexAny(f, ",."); i >= 0 {
			f = f[:i]
		}
		if len(f) != 3 {
			return 0, fmt.Errorf("%w : « %s » n'est pas un nombre", ErrInvalid, orig)
		}
	}
	r := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\t", "", "'", "")
	s = r.Replace(s)
	if s == "" {
		return 0, fmt.Errorf("%w : « %s » est vide", ErrInvalid, orig)
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "−"): // U+2212 minus sign
		neg, s = true, strings.TrimPrefix(s, "−")
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	// Decide which of ',' and '.' is the decimal separator: the last one
	// present, when it is followed by 1 or 2 digits; the other is a
	// thousands separator.
	lastComma := strings.LastIndex(s, ",")
	lastDot := strings.LastIndex(s, ".")
	dec := -1
	if lastComma > lastDot {
		dec = lastComma
	} else if lastDot > lastComma {
		dec = lastDot
	}
	intPart, fracPart := s, ""
	if dec >= 0 {
		intPart, fracPart = s[:dec], s[dec+1:]
		// "1.234" with no comma could be thousands: refuse ambiguity only
		// when the fractional part has 3 digits and the separator is '.'.
		if len(fracPart) == 3 && s[dec] == '.' && lastComma < 0 {
			intPart, fracPart = intPart+fracPart, ""
		}
		groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' })
		if strings.ContainsAny(intPart, ".,") {
			// Thousands separators must cut groups of exactly three digits:
			// "12,3,4" is a typo, not 123,40 €.
			if len(groups) == 0 || len(groups[0]) > 3 || strings.HasSuffix(intPart, ".") || strings.HasSuffix(intPart, ",") {
				return 0, fmt.Errorf("%w : « %s » n'est pas un nombre", ErrInvalid, orig)
			}
			for _, g := range groups[1:] {
				if len(g) != 3 {
					return 0, fmt.Errorf("%w : « %s » n'est pas un nombre", ErrInvalid, orig)
				}
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" {
		intPart = "0"
	}
	if len(fracPart) > 2 {
		return 0, fmt.Errorf("%w : « %s » a plus de deux décimales", ErrInvalid, orig)
	}
	for _, c := range intPart + fracPart {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w : « %s » n'est pas un nombre", ErrInvalid, orig)
		}
	}
	if len(intPart) > 13 {
		return 0, fmt.Errorf("%w : « %s » est trop grand", ErrInvalid, orig)
	}
	for len(fracPart) < 2 {
		fracPart += "0"
	}
	euros, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w : « %s »", ErrInvalid, orig)
	}
	cents, _ := strconv.ParseInt(fracPart, 10, 64)
	v := euros*100 + cents
	if neg {
		v = -v
	}
	return Money(v), nil
}

// MustParse is Parse for literals in tests and seed data; it panics on error.
func MustParse(s string) Money {
	m, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Cents returns the amount as an int64 of cents (for JSON and SQL).
func (m Money) Cents() int64 { return int64(m) }

// Abs returns the absolute value.
func (m Money) Abs() Money {
	if m < 0 {
		return -m
	}
	return m
}

// Number formats the amount without the euro sign: "1 234,56", "-12,00".
// Thousands are separated by a no-break space.
func (m Money) Number() string {
	v := int64(m)
	neg := v < 0
	if neg {
		v = -v
	}
	euros := strconv.FormatInt(v/100, 10)
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, c := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(c)
	}
	b.WriteByte(',')
	c := v % 100
	b.WriteByte(byte('0' + c/10))
	b.WriteByte(byte('0' + c%10))
	return b.String()
}

// String formats the amount the French way: "1 234,56 €".
func (m Money) String() string { return m.Number() + nbsp + "€" }

// Plain formats the amount for CSV files: "1234,56" (no thousands separator),
// which Parse reads back.
func (m Money) Plain() string {
	return strings.ReplaceAll(m.Number(), nbsp, "")
}

// Sum adds amounts.
func Sum(ms ...Money) Money {
	var t Money
	for _, m := range ms {
		t += m
	}
	return t
}
