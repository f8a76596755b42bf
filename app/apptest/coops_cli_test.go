package apptest

import (
	"context"
	"os"
	"path/filepath"
	"retkoop/app/config"
	"strings"
	"testing"
)

// TestCoopsImportNeedsEveryColumn: a file without the contract's columns is
// refused as a whole (re-importing it would otherwise blank the addresses,
// e-mails, IBANs and opening balances of the coops it updates).
func TestCoopsImportNeedsEveryColumn(t *testing.T) {
	env, _, a, _ := cliWorld(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	os.WriteFile(full, []byte("\ufeffSOLDE_CAISSE,Solde_Banque,iban,email,mandataire,commune,code_postal,adresse,nom,uai\r\n"+
		"\"12,30\",\"1 234,56\",,jean@example.org,Jean Dupont,Toulouse,31000,1 rue A,École Alpha,0310036W\r\n"), 0o600)
	code, out, errs := runCLI(env, "coops", "import", full, "--ad", "31", "--exercice", "2025-2026")
	if code != 0 || !strings.Contains(out, "1 mise(s) à jour") {
		t.Fatalf("full import: %d %q %q", code, out, errs)
	}
	partial := filepath.Join(dir, "partial.csv")
	os.WriteFile(partial, []byte("uai;nom\n0310036W;École Alpha renommée\n"), 0o600)
	code, out, errs = runCLI(env, "coops", "import", partial, "--ad", "31", "--exercice", "2025-2026")
	if code == 0 || !strings.Contains(errs, "colonne « email » manquante") || !strings.Contains(errs, "solde_banque") {
		t.Fatalf("partial import: %d %q %q", code, out, errs)
	}
	co, err := a.Coop(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if co.Name != "École Alpha" || co.MandataireEmail != "jean@example.org" || co.Address != "1 rue A" {
		t.Errorf("the refused file changed the coop: %+v", co)
	}
}

// TestCoopsImportOnAFreshDatabase: the first command of a new deployment
// creates the AD of a department code; a code that is not one is refused.
func TestCoopsImportOnAFreshDatabase(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		switch k {
		case "RETKOOP_DATABASE":
			return "sqlite:" + filepath.Join(dir, "retkoop.db")
		case "RETKOOP_DATA_DIR":
			return filepath.Join(dir, "data")
		}
		return ""
	}
	file := filepath.Join(dir, "coops.csv")
	os.WriteFile(file, []byte("uai;nom;adresse;code_postal;commune;mandataire;email;iban;solde_banque;solde_caisse\n"+
		"0310036W;École Alpha;1 rue A;31000;Toulouse;Jean Dupont;jean@example.org;FR7630006000011234567890189;1 234,56;12,30\n"), 0o600)
	if code, out, errs := runCLI(env, "coops", "import", file, "--ad", "XX"); code == 0 || !strings.Contains(errs, "inconnue") {
		t.Fatalf("bad AD code accepted: %d %q %q", code, out, errs)
	}
	code, out, errs := runCLI(env, "coops", "import", file, "--ad", "31", "--exercice", "2025-2026")
	if code != 0 || !strings.Contains(out, "AD « 31 » créée") || !strings.Contains(out, "1 coopérative(s) créée(s)") {
		t.Fatalf("fresh import: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(env, "coops", "import", file, "--ad", "31", "--exercice", "2025-2026"); code != 0 || strings.Contains(out, "créée (OCCE") {
		t.Fatalf("second import: %d %q", code, out)
	}
	if code, out, _ := runCLI(env, "coops", "--help"); code != 0 || !strings.Contains(out, "coops import FICHIER") {
		t.Fatalf("coops --help: %d %q", code, out)
	}
	if code, out, _ := runCLI(env, "report", "--help"); code != 0 || !strings.Contains(out, "report crf") || !strings.Contains(out, "report ad") {
		t.Fatalf("report --help: %d %q", code, out)
	}
}

func TestConfigSizes(t *testing.T) {
	for in, want := range map[string]int64{"25MB": 25 << 20, "25 Mo": 25 << 20, "512KB": 512 << 10} {
		cfg, err := config.LoadConfig(func(k string) string {
			if k == "RETKOOP_MAX_ATTACHMENT" {
				return in
			}
			return ""
		})
		if err != nil || cfg.MaxAttachment != want {
			t.Errorf("RETKOOP_MAX_ATTACHMENT=%q: %v %v", in, cfg, err)
		}
	}
	if _, err := config.LoadConfig(func(k string) string {
		if k == "RETKOOP_MAX_ATTACHMENT" {
			return "beaucoup"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "RETKOOP_MAX_ATTACHMENT") {
		t.Errorf("bad size accepted: %v", err)
	}
}

func TestBrowseURL(t *testing.T) {
	cases := []struct{ addr, port, base, want string }{
		{"", "", "", "http://127.0.0.1:8080"},
		{"", "9000", "", "http://127.0.0.1:9000"},
		{"0.0.0.0:8081", "", "", "http://127.0.0.1:8081"},
		{"127.0.0.1:8082", "", "https://coops.occe31.example", "https://coops.occe31.example"},
	}
	for _, c := range cases {
		cfg, err := config.LoadConfig(func(k string) string {
			return map[string]string{"RETKOOP_ADDR": c.addr, "PORT": c.port, "RETKOOP_BASE_URL": c.base}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.BrowseURL(); got != c.want {
			t.Errorf("%+v: %s", c, got)
		}
	}
}
