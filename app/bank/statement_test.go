package bank

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when invalid
	}{
		{"31/08/2026", "2026-08-31"},
		{"01/09/26", "2026-09-01"},
		{"1/9/2026", "2026-09-01"},
		{"2026-08-31", "2026-08-31"},
		{"31.08.2026", "2026-08-31"},
		{"31-08-2026", "2026-08-31"},
		{" 31/08/2026 ", "2026-08-31"},
		{"29/02/2024", "2024-02-29"},
		{"29/02/2025", ""},
		{"31/04/2026", ""},
		{"00/01/2026", ""},
		{"12/13/2026", ""},
		{"31/08-2026", ""},
		{"31/08/2026/1", ""},
		{"2026/31/08", ""},
		{"Solde", ""},
		{"", ""},
		{"31/08/202", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		switch {
		case tt.want == "" && ok:
			t.Errorf("parseDate(%q) = %v, want invalid", tt.in, got)
		case tt.want != "" && (!ok || got != day(tt.want)):
			t.Errorf("parseDate(%q) = %v %v, want %s", tt.in, got, ok, tt.want)
		}
	}
}

func TestChequeNumber(t *testing.T) {
	tests := []struct{ label, want string }{
		{"CHQ 1234567", "1234567"},
		{"CHEQUE N°0001234", "1234"},
		{"CHQ.1234", "1234"},
		{"Chèque n° 0001236", "1236"},
		{"PAIEMENT CHQ N.7654321", "7654321"},
		{"CHEQUE 1234567 EMIS LE 02/10", "1234567"},
		{"REMISE CHQ 0004512", ""}, // the slip's number, not a cheque's
		{"REM CHQ N 12345", ""},
		{"CB CHQUEBEC 1234", ""},
		{"VIR SEPA MAIRIE 1234567", ""},
		{"CHEQUE", ""},
	}
	for _, tt := range tests {
		if got := ChequeNumber(tt.label); got != tt.want {
			t.Errorf("ChequeNumber(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}

func TestLabelMode(t *testing.T) {
	tests := []struct{ label, want string }{
		{"CHEQUE 1234567", modeCheque},
		{"CB LIBRAIRIE PRIVAT 11/08", modeCarte},
		{"PAIEMENT PAR CARTE X1234 SUPER U", modeCarte},
		{"COTISATION CARTE AFFAIRES", modePrelevement},
		{"FRAIS TENUE DE COMPTE", modePrelevement},
		{"PRLV SEPA OCCE 31", modePrelevement},
		{"VIR SEPA MAIRIE DE TOULOUSE", modeVirement},
		{"VIREMENT RECU APE", modeVirement},
		{"REMISE CHEQUES 0004512", modeRemise},
		{"REM CHQ 0004513 3 CHQ", modeRemise},
		{"VERSEMENT ESPÈCES", modeEspeces},
		{"RETRAIT DAB TOULOUSE", modeEspeces},
		{"INTERETS CREDITEURS", ""},
	}
	for _, tt := range tests {
		if got := labelMode(tt.label); got != tt.want {
			t.Errorf("labelMode(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"CB LIBRAIRIE PRIVAT 11/08", "Librairie Privat : albums", 1},
		{"VIR SEPA MAIRIE DE TOULOUS SUBV", "Subvention mairie de Toulouse", 1},
		{"PRLV SEPA OCCE 31", "Cotisation OCCE", 1},
		{"CB SUPER U", "Librairie Privat", 0},
		{"CHEQUE 1234567", "Librairie", 0},
		{"VIR SEPA APE JULES FERRY", "Don de l'APE pour la sortie", 1.0 / 3},
	}
	for _, tt := range tests {
		if got, _ := similarity(tokens(tt.a), tokens(tt.b)); got != tt.want {
			t.Errorf("similarity(%q, %q) = %v, want %v (%q, %q)", tt.a, tt.b, got, tt.want, tokens(tt.a), tokens(tt.b))
		}
	}
}

func TestKeysDedupeReimport(t *testing.T) {
	// August, then a file covering 15 August → 15 September: the lines of
	// the second half of August must get the same keys in both.
	august := "Date;Libellé;Montant\n03/08/2026;CHEQUE 1234567;-45,00\n20/08/2026;FRAIS TENUE DE COMPTE;-3,50\n20/08/2026;Frais  tenue de compte;-3,50\n29/08/2026;VERSEMENT ESPÈCES;80,00\n"
	overlap := "Solde au 14/08/2026 : 1 000,00\nDate;Libellé;Montant\n20/08/2026;FRAIS TENUE DE COMPTE;-3,50\n20/08/2026;FRAIS TENUE DE COMPTE;-3,50\n29/08/2026;VERSEMENT ESPECES;80,00\n10/09/2026;CHEQUE 1234599;-80,00\n"
	a, err := Read("a.csv", []byte(august))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Read("a.csv", []byte(august))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read("b.csv", cp1252(t, overlap))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(st Statement) []string {
		var out []string
		for _, l := range st.Lines {
			out = append(out, l.Key)
		}
		return out
	}
	if !slices.Equal(keys(a), keys(again)) {
		t.Error("re-importing the same file gives other keys")
	}
	ka, kb := keys(a), keys(b)
	if len(slices.Compact(slices.Sorted(slices.Values(ka)))) != len(ka) {
		t.Errorf("keys of one file are not unique: %v", ka)
	}
	// Both fees (whatever the case and spacing) and the deposit (with or
	// without accent) are the same lines; the cheques are not.
	for i, want := range []bool{false, true, true, true} {
		if got := slices.Contains(kb, ka[i]); got != want {
			t.Errorf("line %d (%s) in the overlapping file: %v, want %v", i, a.Lines[i].Label, got, want)
		}
	}
	if slices.Contains(ka, kb[3]) {
		t.Error("September's cheque has a key of August's file")
	}
	if len(ka[0]) != 24 || strings.Trim(ka[0], "0123456789abcdef") != "" {
		t.Errorf("key %q is not 24 hex digits", ka[0])
	}
}

func TestAssignKeysFITID(t *testing.T) {
	d := time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)
	lines := []Line{{Date: d, Amount: -350, FITID: "A1"}, {Date: d, Amount: -350, FITID: "A1"}, {Date: d, Amount: -350, FITID: "A2"}, {Date: d, Amount: -350}}
	assignKeys(lines)
	got := []string{lines[0].Key, lines[1].Key, lines[2].Key}
	if want := []string{"A1", "A1#2", "A2"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if lines[3].Key == "" || lines[3].Key == "A1" {
		t.Errorf("line without FITID got key %q", lines[3].Key)
	}
}

func TestReadDetectsFormat(t *testing.T) {
	tests := []struct {
		name, file string
		wantOFX    bool
	}{
		{"releve.ofx", "OFXHEADER:100\nDATA:OFXSGML", true},
		{"releve.csv", "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\"?><OFX>", true},
		{"export.txt", "<OFX><SIGNONMSGSRSV1>", true},
		{"releve.ofx", "Date;Libellé;Montant\n", false},
		{"releve.csv", "Date;Libellé;Montant\n", false},
		{"releve.qfx", "garbage without separators", true},
		{"releve.csv", "garbage without separators", false},
	}
	for _, tt := range tests {
		if got := isOFX(tt.name, []byte(tt.file)); got != tt.wantOFX {
			t.Errorf("isOFX(%q, %q) = %v, want %v", tt.name, tt.file, got, tt.wantOFX)
		}
	}
}
