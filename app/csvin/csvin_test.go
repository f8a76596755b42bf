package csvin

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf8", []byte("pièce"), "pièce"},
		{"utf8 bom", []byte("\xef\xbb\xbfpièce"), "pièce"},
		{"windows-1252", []byte("pi\xe8ce \xe9t\xe9 \x80"), "pièce été €"},
		{"windows-1252 oe", []byte("\x9cuvres"), "œuvres"},
		{"ascii", []byte("abc"), "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decode(tt.in); got != tt.want {
				t.Errorf("Decode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"Pièce":         "piece",
		"  PIECE ":      "piece",
		"Libellé":       "libelle",
		"Code postal":   "code_postal",
		"code-postal":   "code_postal",
		"Trésorerie":    "tresorerie",
		"solde_banque":  "solde_banque",
		"Solde  Banque": "solde_banque",
		"DÉPENSE":       "depense",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadSeparatorsAndHeaders(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantSep rune
	}{
		{"semicolon", "uai;Nom;IBAN\n0310036W;École A;FR76\n", ';'},
		{"comma", "UAI,nom,iban\n0310036W,École A,FR76\n", ','},
		{"tab", "uai\tnom\tiban\n0310036W\tÉcole A\tFR76\n", '\t'},
		{"bom and crlf", "\ufeffUai;NOM;Iban\r\n0310036W;École A;FR76\r\n", ';'},
		{"accents and order", "Ibán ; Nom ; UAI\nFR76;École A;0310036W\n", ';'},
		{"comma inside quoted header", "\"nom, complet\";uai;iban;nom\nx;0310036W;FR76;École A\n", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(tt.in), []string{"uai", "nom", "iban"}, nil)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if tab.Sep != tt.wantSep {
				t.Errorf("Sep = %q, want %q", tab.Sep, tt.wantSep)
			}
			if len(tab.Rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(tab.Rows))
			}
			r := tab.Rows[0]
			if r.Get("UAI") != "0310036W" || r.Get("nom") != "École A" || r.Get("iban") != "FR76" {
				t.Errorf("row = uai %q nom %q iban %q", r.Get("uai"), r.Get("nom"), r.Get("iban"))
			}
		})
	}
}

func TestReadWindows1252(t *testing.T) {
	in := []byte("Pi\xe8ce;Libell\xe9;Montant\n1;F\xeate de l'\xe9cole;12,50\n")
	tab, err := Read(strings.NewReader(string(in)), []string{"piece", "libelle", "montant"}, nil)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := tab.Rows[0].Get("libellé"); got != "Fête de l'école" {
		t.Errorf("libellé = %q", got)
	}
}

func TestReadMissingColumn(t *testing.T) {
	_, err := Read(strings.NewReader("uai;nom\n0310036W;A\n"), []string{"uai", "nom", "iban", "email"}, nil)
	if err == nil {
		t.Fatal("want an error for missing columns")
	}
	for _, want := range []string{"colonne « iban » manquante", "colonne « email » manquante", "uai, nom"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestReadIgnoredAndOptional(t *testing.T) {
	tab, err := Read(strings.NewReader("uai;remarque;iban\n0310036W;x;FR\n"), []string{"uai"}, []string{"iban", "email"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Ignored) != 1 || tab.Ignored[0] != "remarque" {
		t.Errorf("Ignored = %v, want [remarque]", tab.Ignored)
	}
	if !tab.Has("IBAN") || tab.Has("email") {
		t.Errorf("Has(iban)=%v Has(email)=%v", tab.Has("IBAN"), tab.Has("email"))
	}
	if got := tab.Rows[0].Get("email"); got != "" {
		t.Errorf("absent column Get = %q", got)
	}
}

func TestReadLineNumbers(t *testing.T) {
	in := "piece;libelle\n" + // line 1
		"1;a\n" + // 2
		"\n" + // 3 blank
		";\n" + // 4 only separators
		"2;\"deux\nlignes\"\n" + // 5-6 quoted newline
		"3;c\n" + // 7
		"   \n" + // 8
		"4;\"d; avec point-virgule\"\n" // 9
	tab, err := Read(strings.NewReader(in), []string{"piece", "libelle"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line    int
		piece   string
		libelle string
	}{{2, "1", "a"}, {5, "2", "deux\nlignes"}, {7, "3", "c"}, {9, "4", "d; avec point-virgule"}}
	if len(tab.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(tab.Rows), len(want))
	}
	for i, w := range want {
		r := tab.Rows[i]
		if r.Line != w.line || r.Get("piece") != w.piece || r.Get("libelle") != w.libelle {
			t.Errorf("row %d = line %d %q %q, want %+v", i, r.Line, r.Get("piece"), r.Get("libelle"), w)
		}
	}
}

func TestReadShortAndLongRows(t *testing.T) {
	in := "a;b;c\n1;2\n1;2;3;;\n1;2;3;4\n5;6;7;8;9\n"
	_, err := Read(strings.NewReader(in), []string{"a", "b", "c"}, nil)
	var le LineErrors
	if !errors.As(err, &le) {
		t.Fatalf("want LineErrors, got %v", err)
	}
	if len(le) != 2 || le[0].Line != 4 || le[1].Line != 5 {
		t.Fatalf("errors = %+v, want lines 4 and 5", le)
	}
	if !strings.Contains(err.Error(), "ligne 4 : 4 valeurs pour 3 colonnes") {
		t.Errorf("message = %q", err)
	}

	tab, err := Read(strings.NewReader("a;b;c\n1;2\n1;2;3;;\n"), []string{"a", "b", "c"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows[0].Get("c") != "" || tab.Rows[1].Get("c") != "3" {
		t.Errorf("padding: %q %q", tab.Rows[0].Get("c"), tab.Rows[1].Get("c"))
	}
}

func TestReadBadInput(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "le fichier est vide"},
		{"blank header", "\n\n", "le fichier est vide"},
		{"duplicate column", "uai;UAI\n1;2\n", "colonne « UAI » en double"},
		{"unclosed quote", "a;b\n1;\"ouvert\n2;b\n", "ligne 2 : guillemet ouvert jamais fermé"},
		{"bare quote", "a;b\n1;Fête \"loto\"\n2;b\n3;c\"\n", "ligne 2 : guillemet au milieu d'une valeur"},
		{"bare quote reported on every line", "a;b\n1;Fête \"loto\"\n2;b\n3;c\"\n", "ligne 4 : guillemet au milieu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), []string{"a"}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"12/10/2025", time.Date(2025, 10, 12, 0, 0, 0, 0, time.UTC), true},
		{"1/9/2025", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-08-31", time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC), true},
		{" 29/02/2028 ", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"29/02/2026", time.Time{}, false},
		{"31/04/2026", time.Time{}, false},
		{"2026-13-01", time.Time{}, false},
		{"12/10/25", time.Time{}, false},
		{"2025-9-1", time.Time{}, false},
		{"12.10.2025", time.Time{}, false},
		{"", time.Time{}, false},
		{"aa/bb/cccc", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "date invalide") {
			t.Errorf("ParseDate(%q) error %q is not French", tt.in, err)
		}
	}
}

func TestLineErrors(t *testing.T) {
	var l LineErrors
	if l.Err() != nil {
		t.Fatal("empty LineErrors must give a nil error")
	}
	l.Add(7, "montant invalide : « %s »", "12,3,4")
	l.Add(4, "date invalide")
	l.Add(0, "aucune opération")
	err := l.Err()
	want := "3 erreurs dans le fichier :\naucune opération\nligne 4 : date invalide\nligne 7 : montant invalide : « 12,3,4 »"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if l[0].Line != 7 {
		t.Error("Err must not reorder the receiver")
	}
}
