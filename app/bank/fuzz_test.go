package bank

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds the sample files of testdata with the given extension.
func addSeeds(f *testing.F, ext string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"+ext))
	if err != nil || len(files) == 0 {
		f.Fatalf("no %s seed in testdata (%v)", ext, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkStatement holds for every statement read without error.
func checkStatement(t *testing.T, st Statement) {
	t.Helper()
	keys := map[string]bool{}
	for i, l := range st.Lines {
		if l.Date.IsZero() || l.Date != civil(l.Date) {
			t.Fatalf("line %d: date %v is not a civil date", i, l.Date)
		}
		if l.Key == "" || keys[l.Key] {
			t.Fatalf("line %d: key %q empty or repeated", i, l.Key)
		}
		keys[l.Key] = true
		if l.Amount.Abs() > 1e15 {
			t.Fatalf("line %d: amount %d out of bounds", i, l.Amount)
		}
		if strings.ContainsAny(l.Label, "\n\r\t") {
			t.Fatalf("line %d: label %q not collapsed", i, l.Label)
		}
	}
}

func FuzzReadOFX(f *testing.F) {
	addSeeds(f, ".ofx")
	f.Add([]byte(sgml("", oneTrn)))
	f.Add([]byte("OFXHEADER:100\n<OFX><SIGNONMSGSRSV1>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sts, err := ReadOFX(b)
		if err != nil {
			return
		}
		if len(sts) == 0 {
			t.Fatal("no statement and no error")
		}
		for _, st := range sts {
			checkStatement(t, st)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	addSeeds(f, ".csv")
	f.Add([]byte("Date;Libellé;Débit;Crédit\n02/10/2025;CB SUPER U;-12,50;\n;suite;;\nSolde au 31/10/2025;;;1,00\n"))
	f.Add([]byte("\"Date\",\"Libellé\",\"Montant\"\n=\"10/10/2025\",\"CB\",\"-1 025,00\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, p, err := DetectCSV(b)
		if len(p.Rows) > previewRows {
			t.Fatalf("%d preview rows", len(p.Rows))
		}
		if err == nil {
			st, err := ReadCSV(b, m)
			if err == nil {
				checkStatement(t, st)
			}
		}
		// Whatever the mandataire picks in the column picker must not
		// crash either.
		for _, pick := range []Mapping{
			{Date: 0, Label: 1, Debit: 2, Credit: 3, Amount: -1, HeaderRow: 0},
			{Date: 2, Label: 0, Debit: -1, Credit: -1, Amount: 1, HeaderRow: 1},
			{Date: 0, Label: 1, Debit: -1, Credit: -1, Amount: 2, HeaderRow: -3},
		} {
			if st, err := ReadCSV(b, pick); err == nil {
				checkStatement(t, st)
			}
		}
	})
}
