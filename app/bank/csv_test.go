package bank

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"retkoop/app/money"
)

// want is a line in a compact form for comparisons.
func lineString(l Line) string {
	return fmt.Sprintf("%s|%s|%s|%s", l.Date.Format("2006-01-02"), l.Label, l.Amount.Plain(), l.Cheque)
}

func TestReadCreditAgricoleCSV(t *testing.T) {
	b := readTestdata(t, "ca-2026-08.csv")
	m, p, err := DetectCSV(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Mapping{Date: 0, Label: 1, Debit: 2, Credit: 3, Amount: -1, HeaderRow: 8}); m != want {
		t.Errorf("mapping = %+v, want %+v", m, want)
	}
	if p.Encoding != "Windows-1252" || p.Separator != ";" {
		t.Errorf("preview encoding %q separator %q", p.Encoding, p.Separator)
	}
	if got := p.Rows[8].Cells[1]; got != "Libellé" {
		t.Errorf("header cell = %q, want Libellé (decoded from Windows-1252)", got)
	}
	if p.Rows[8].Line != 9 || len(p.Sample) != 9 {
		t.Errorf("header row line %d, %d sample lines", p.Rows[8].Line, len(p.Sample))
	}
	st, err := ReadCSV(b, m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-08-03|CHEQUE 1234567|-45,00|1234567",
		"2026-08-05|PRLV SEPA OCCE 31 COTISATION ET ASSURANCE 2026-2027|-245,60|",
		"2026-08-10|REMISE CHEQUES 0004512|120,00|",
		"2026-08-12|CB LIBRAIRIE PRIVAT 11/08|-35,20|",
		"2026-08-14|VIR SEPA MAIRIE DE TOULOUSE SUBVENTION PROJET THÉÂTRE|500,00|",
		"2026-08-20|FRAIS TENUE DE COMPTE|-3,50|",
		"2026-08-20|FRAIS TENUE DE COMPTE|-3,50|",
		"2026-08-28|COTISATION CARTE AFFAIRES|-24,00|",
		"2026-08-29|VERSEMENT ESPÈCES|80,00|",
	}
	if len(st.Lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(st.Lines), len(want))
	}
	for i, l := range st.Lines {
		if got := lineString(l); got != want[i] {
			t.Errorf("line %d = %q, want %q", i, got, want[i])
		}
	}
	if st.AccountID != "12345678901" {
		t.Errorf("account = %q", st.AccountID)
	}
	if st.Start != day("2026-08-01") || st.End != day("2026-08-31") {
		t.Errorf("period = %v → %v", st.Start, st.End)
	}
	if st.OpeningBalance != nil || st.ClosingBalance == nil || *st.ClosingBalance != eur("1234,56") {
		t.Errorf("balances = %v, %v", st.OpeningBalance, st.ClosingBalance)
	}
	if st.Lines[5].Key == st.Lines[6].Key {
		t.Error("two identical fees on the same day share a key")
	}
}

func TestReadBanquePopulaireCSV(t *testing.T) {
	st, err := Read("releve.csv", readTestdata(t, "bp-2026-09.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-09-01|CHQ N°0001235|-60,00|1235",
		"2026-09-04|CB SUPER U TOULOUSE 03/09|-42,85|",
		"2026-09-10|REM CHQ 0004513 3 CHQ|75,00|",
		"2026-09-15|VIR INST M OU MME DUPONT PARTICIPATION SORTIE|15,00|",
		"2026-09-22|CHEQUE 0001236|-150,00|1236",
		"2026-09-30|COMMISSION INTERVENTION|-8,00|",
	}
	if len(st.Lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(st.Lines), len(want))
	}
	for i, l := range st.Lines {
		if got := lineString(l); got != want[i] {
			t.Errorf("line %d = %q, want %q", i, got, want[i])
		}
	}
	if st.AccountID != "FR7612345678901234567890123" {
		t.Errorf("account = %q", st.AccountID)
	}
	if st.Start != day("2026-09-01") || st.End != day("2026-09-30") {
		t.Errorf("period = %v → %v", st.Start, st.End)
	}
	if gap, ok := st.Gap(); !ok || gap != 0 {
		t.Errorf("opening %v + lines ≠ closing %v (gap %v, known %v)", st.OpeningBalance, st.ClosingBalance, gap, ok)
	}
}

// cp1252 encodes a test file the way most French banks export.
func cp1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSVShapes(t *testing.T) {
	tests := []struct {
		name    string
		file    []byte
		lines   []string
		opening string // "" when unknown
		closing string
	}{
		{
			name:  "Débit/Crédit, débits négatifs, sans lignes d'en-tête",
			file:  []byte("Date opération;Libellé;Débit;Crédit\n02/10/2025;CB SUPER U;-12,50;\n03/10/2025;VIR MAIRIE;;1 200,00\n"),
			lines: []string{"2025-10-02|CB SUPER U|-12,50|", "2025-10-03|VIR MAIRIE|1200,00|"},
		},
		{
			name:  "Montant (EUR), dates JJ/MM/AA, Windows-1252",
			file:  cp1252(t, "Compte n° 00012345678;;\nDate;Libellé;Montant (EUR)\n02/10/25;CHÈQUE N°0001234;-45,00\n"),
			lines: []string{"2025-10-02|CHÈQUE N°0001234|-45,00|1234"},
		},
		{
			name:  "date valeur ignorée au profit de la date d'opération",
			file:  []byte("Date valeur;Date opération;Libellé;Montant\n05/10/2025;02/10/2025;PRLV SEPA OCCE;-245,60\n"),
			lines: []string{"2025-10-02|PRLV SEPA OCCE|-245,60|"},
		},
		{
			name:    "soldes en pied de tableau, ligne de total et libellé sur deux lignes",
			file:    []byte("\ufeffDate;Libellé;Débit euros;Crédit euros\nSolde au 30/09/2025;;;100,00\n01/10/2025;VIR SEPA APE;;50,00\n;ECOLE JULES FERRY;;\n02/10/2025;FRAIS;1,50;\nTotal des opérations;;1,50;50,00\nNouveau solde créditeur au 31/10/2025;;;148,50\n"),
			lines:   []string{"2025-10-01|VIR SEPA APE ECOLE JULES FERRY|50,00|", "2025-10-02|FRAIS|-1,50|"},
			opening: "100,00",
			closing: "148,50",
		},
		{
			name:    "solde débiteur et ancien solde en tête",
			file:    []byte("Ancien solde : 20,00\nSolde débiteur au 31/10/2025 : 5,00\nDate;Libellé;Montant\n10/10/2025;CB LIBRAIRIE;-25,00\n"),
			lines:   []string{"2025-10-10|CB LIBRAIRIE|-25,00|"},
			opening: "20,00",
			closing: "-5,00",
		},
		{
			name:  "séparateur tabulation",
			file:  []byte("Date\tLibellé\tMontant\n10/10/2025\tCB LIBRAIRIE\t-25,00\n"),
			lines: []string{"2025-10-10|CB LIBRAIRIE|-25,00|"},
		},
		{
			name:  "séparateur virgule, champs entre guillemets, garde Excel",
			file:  []byte("\"Date\",\"Libellé\",\"Montant\"\n=\"10/10/2025\",\"CB LIBRAIRIE\",\"-1 025,00\"\n"),
			lines: []string{"2025-10-10|CB LIBRAIRIE|-1025,00|"},
		},
		{
			name:  "ligne à zéro ignorée",
			file:  []byte("Date;Libellé;Montant\n10/10/2025;COTISATION CARTE OFFERTE;0,00\n11/10/2025;CB LIBRAIRIE;-25,00\n"),
			lines: []string{"2025-10-11|CB LIBRAIRIE|-25,00|"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Read("x.csv", tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range st.Lines {
				got = append(got, lineString(l))
			}
			if strings.Join(got, "\n") != strings.Join(tt.lines, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.lines, "\n"))
			}
			checkBalance(t, "opening", st.OpeningBalance, tt.opening)
			checkBalance(t, "closing", st.ClosingBalance, tt.closing)
		})
	}
}

func checkBalance(t *testing.T, name string, got *money.Money, want string) {
	t.Helper()
	switch {
	case want == "" && got != nil:
		t.Errorf("%s balance = %v, want none", name, *got)
	case want != "" && (got == nil || *got != eur(want)):
		t.Errorf("%s balance = %v, want %s", name, got, want)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		m    *Mapping
		want []string
	}{
		{
			name: "date et montant illisibles, tous signalés avec leur ligne",
			file: "Relevé;;\nDate;Libellé;Montant\n10/10/2025;CB;-1,00\n31/02/2025;CB;-2,00\n12/10/2025;CB;douze\n",
			want: []string{"ligne 4 : date « 31/02/2025 » illisible (attendu JJ/MM/AAAA)", "ligne 5 : montant « douze » illisible"},
		},
		{
			name: "ni débit ni crédit",
			file: "Date;Libellé;Débit;Crédit\n10/10/2025;CB;;\n",
			want: []string{"ligne 2 : montant absent (ni débit ni crédit)"},
		},
		{
			name: "colonne du montant non choisie",
			file: "Date;Libellé;Montant\n10/10/2025;CB;-1,00\n",
			m:    &Mapping{Date: 0, Label: 1, Debit: -1, Credit: -1, Amount: -1},
			want: []string{"choisissez la colonne contenant le montant (ou le débit et le crédit)"},
		},
		{
			name: "même colonne pour deux usages",
			file: "Date;Libellé;Montant\n10/10/2025;CB;-1,00\n",
			m:    &Mapping{Date: 0, Label: 0, Debit: -1, Credit: -1, Amount: 2},
			want: []string{"la colonne 1 est choisie pour deux usages"},
		},
		{
			name: "ligne d'en-tête hors du fichier",
			file: "Date;Libellé;Montant\n10/10/2025;CB;-1,00\n",
			m:    &Mapping{Date: 0, Label: 1, Debit: -1, Credit: -1, Amount: 2, HeaderRow: 7},
			want: []string{"la ligne d'en-tête n° 8 n'existe pas"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.m != nil {
				_, err = ReadCSV([]byte(tt.file), *tt.m)
			} else {
				_, err = Read("x.csv", []byte(tt.file))
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %v is not ErrFormat", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDetectCSVWithoutHeader(t *testing.T) {
	file := []byte("Relevé de la coopérative\n02/10/2025;CB SUPER U;-12,50\n03/10/2025;VIR MAIRIE;1200,00\n")
	m, p, err := DetectCSV(file)
	if !errors.Is(err, ErrNoHeader) || !errors.Is(err, ErrFormat) {
		t.Fatalf("err = %v, want ErrNoHeader", err)
	}
	if m.Date != -1 || m.HeaderRow != -1 || len(p.Rows) != 3 || p.Rows[1].Cells[1] != "CB SUPER U" {
		t.Fatalf("mapping %+v preview %+v", m, p)
	}
	// The mandataire picks the columns in the preview; row 0 is taken as
	// the header, the operations follow.
	st, err := ReadCSV(file, Mapping{Date: 0, Label: 1, Amount: 2, Debit: -1, Credit: -1, HeaderRow: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Lines) != 2 || st.Lines[1].Amount != eur("1200,00") {
		t.Errorf("lines = %+v", st.Lines)
	}
}
