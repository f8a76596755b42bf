// Package uai validates and normalises school identifiers (UAI/RNE):
// 7 digits and a check letter.
package uai

import (
	"fmt"
	"strconv"
	"strings"
)

const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"

// Normalize trims and upper-cases an identifier as typed by a person.
func Normalize(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckLetter returns the check letter for a 7-digit number.
func CheckLetter(digits string) (byte, error) {
	if len(digits) != 7 {
		return 0, fmt.Errorf("uai: %q n'a pas 7 chiffres", digits)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("uai: %q n'est pas numérique", digits)
	}
	return letters[n%23], nil
}

// Validate normalises s and checks its format and check letter. The error
// is a French sentence for the user.
func Validate(s string) (string, error) {
	u := Normalize(s)
	if len(u) != 8 {
		return u, fmt.Errorf("l'UAI « %s » doit comporter 7 chiffres et une lettre", s)
	}
	want, err := CheckLetter(u[:7])
	if err != nil {
		return u, fmt.Errorf("l'UAI « %s » doit commencer par 7 chiffres", s)
	}
	if u[7] != want {
		return u, fmt.Errorf("la lettre de contrôle de l'UAI « %s » est fausse (attendu %c)", s, want)
	}
	return u, nil
}

// Valid reports whether s is a valid UAI.
func Valid(s string) bool {
	_, err := Validate(s)
	return err == nil
}

// Make builds a valid UAI from a 7-digit number (demo data, tests).
func Make(n int) string {
	d := fmt.Sprintf("%07d", n%10000000)
	c, _ := CheckLetter(d)
	return d + string(c)
}
