package ledger

import (
	"unicode"
	"unicode/utf8"
)

// Validate checks a new régie: its ID is written in the book's treasury
// column ("regie:CE1") and in CSV files, so it must be short and free of
// separators; the label says who holds it.
func (r Regie) Validate() error {
	var v Invalid
	switch n := utf8.RuneCountInString(r.ID); {
	case n == 0:
		v.add("code", "le nom court de la régie est obligatoire (par exemple CE1)")
	case n > 20:
		v.add("code", "le nom court de la régie fait 20 caractères au plus")
	default:
		for _, c := range r.ID {
			if unicode.IsSpace(c) {
				v.add("code", "le nom court de la régie s'écrit sans espace (par exemple CE1 ou CP-Martin)")
				break
			}
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' && c != '_' {
				v.add("code", "le nom court de la régie ne contient que des lettres, des chiffres, - et _ (pas « %c »)", c)
				break
			}
		}
	}
	if r.Label == "" {
		v.add("label", "indiquez l'enseignant ou la classe qui tient la régie")
	}
	if len(v) == 0 {
		return nil
	}
	return v
}
