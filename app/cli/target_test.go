package cli

import (
	"io"
	"strings"
	"testing"
)

func TestTargetFlags(t *testing.T) {
	cases := []struct {
		args  []string
		files int
		want  string // error, or "" and then the exercice
	}{
		{[]string{"--uai", "0310036W", "--exercice", "2025-2026"}, 0, ""},
		{[]string{"f.csv", "--uai", "0310036W", "--exercice", "2025-2026"}, 1, ""},
		{[]string{"--uai", "0310036W"}, 0, "il faut --uai UAI et --exercice AAAA-AAAA"},
		{[]string{"--uai", "0310036W", "--exercice", "2025-2026"}, 1, "il faut un fichier, --uai UAI et --exercice AAAA-AAAA"},
		{[]string{"f.csv", "--uai", "0310036W", "--exercice", "2025-2026"}, 0, "il faut --uai"},
		{[]string{"--uai", "0310036W", "--exercice", "2025-2026", "--format", "ods"}, 0, "format « ods » inconnu : json, pdf ou csv"},
		{[]string{"--uai", "0310036W", "--exercice", "2025"}, 0, "exercice"},
	}
	for _, c := range cases {
		e := &Env{Stdout: io.Discard, Stderr: io.Discard}
		tf := newTargetFlags(newFlags(e, "x", "x"), "uai", "UAI", "", "", "json", "pdf", "csv")
		pos, ex, err := tf.parse(c.args, c.files)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.args, err)
		case c.want == "" && (ex.String() != "2025-2026" || len(pos) != c.files || *tf.format != "json"):
			t.Errorf("%v: %v %v %q", c.args, pos, ex, *tf.format)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	if err := checkFormat("csv", "json"); err == nil || err.Error() != "format « csv » inconnu : seul json est disponible" {
		t.Errorf("one format: %v", err)
	}
}
