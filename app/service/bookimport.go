package service

import (
	"bytes"
	"fmt"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/store"
)

// MaxBookFile bounds a book CSV, uploaded or given to the CLI (a year is a
// few hundred rows).
const MaxBookFile = 5 << 20

// ParseBookFile reads a book CSV for the exercice of b, all or nothing,
// with the rules of the contract (line-numbered French errors).
func ParseBookFile(data []byte, b *store.Book) ([]ledger.Operation, error) {
	lex, err := ledger.ParseExercice(b.Exercice.Name)
	if err != nil {
		return nil, fmt.Errorf("parse book: %w", err)
	}
	if b.Exercice.State == store.ExerciceClosed {
		return nil, fault.Invalidf("L'exercice %s est clôturé : rien n'a été importé.", b.Exercice.Name)
	}
	ops, err := ledger.ParseBookCSV(bytes.NewReader(data), lex, b.Chart, store.OpeningBalances(b.Exercice))
	if err != nil {
		return nil, fault.User(err)
	}
	return ops, nil
}
