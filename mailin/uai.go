package mailin

import "strings"

// uaiLetters are the UAI check letters: I, O and Q are left out so that they
// cannot be mistaken for digits.
const uaiLetters = "ABCDEFGHJKLMNPRSTUVWXYZ"

// ValidUAI reports whether s is a UAI (7 digits + check letter, case
// ignored) whose letter is "ABCDEFGHJKLMNPRSTUVWXYZ"[n mod 23].
func ValidUAI(s string) bool {
	if len(s) != 8 {
		return false
	}
	n := 0
	for i := 0; i < 7; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return upper(s[7]) == uaiLetters[n%23]
}

// FindUAIs returns the valid UAIs in text, upper-cased, in order of first
// appearance. A candidate is 7 digits not preceded by a digit, then a letter
// not followed by a letter or digit, so "RNE0310036W" and
// "quitus_0310036w.pdf" both count but "20250310036WX" does not.
func FindUAIs(text string) []string {
	var out []string
	for i := 0; i+8 <= len(text); i++ {
		if i > 0 && isDigit(text[i-1]) {
			continue
		}
		if !allDigits(text[i:i+7]) || !isLetter(text[i+7]) {
			continue
		}
		if i+8 < len(text) && (isDigit(text[i+8]) || isLetter(text[i+8])) {
			continue
		}
		c := text[i:i+7] + string(upper(text[i+7]))
		if ValidUAI(c) && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
