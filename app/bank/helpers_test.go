package bank

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"retkoop/app/money"
)

// day parses a fixed date of a test.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// eur parses a French amount of a test.
func eur(s string) money.Money { return money.MustParse(s) }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
