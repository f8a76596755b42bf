package app

import (
	"context"
	"os"
	"path/filepath"
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
