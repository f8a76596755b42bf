package apptest

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"retkoop/app/cli"
	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/service"
	"retkoop/app/store"
)

// sampleBook is a valid book file: a split dépense, a transfer, a ticked
// recette, accents.
const sampleBook = "date;piece;libelle;mode;cheque;tresorerie;compte;recette;depense;pointage\n" +
	"02/09/2025;1;Cotisations des familles;remise;;banque;75600008;450,00;;30/09/2025\n" +
	"03/09/2025;2;Vente de gâteaux;especes;;caisse;70810008;35,50;;\n" +
	"10/10/2025;3;OCCE cotisation et assurance;cheque;0012345;banque;62810008;;180,00;\n" +
	"10/10/2025;3;OCCE cotisation et assurance;cheque;0012345;banque;61681008;;45,00;\n" +
	"12/10/2025;4;Dépôt d'espèces;especes;;caisse;banque;;40,00;\n"

func TestImportPreviewThenConfirm(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	wantStatus(t, c.get("/coop/cahier/2025-2026/import"), http.StatusOK)
	res := c.postMultipart("/coop/cahier/2025-2026/import", url.Values{}, "fichier", "cahier.csv", []byte(sampleBook))
	wantStatus(t, res, http.StatusOK)
	doc := c.doc(res)
	if n := doc.Find("#import-preview tbody tr").Length(); n != 4 {
		t.Fatalf("preview rows = %d", n)
	}
	if n := len(w.bookOf(w.coopA)); n != 0 {
		t.Fatal("the preview wrote operations")
	}
	content, _ := doc.Find(`#import-confirm input[name="contenu"]`).Attr("value")
	res = c.post("/coop/cahier/2025-2026/import", url.Values{"contenu": {content}, "confirmer": {"1"}, "nom": {"cahier.csv"}})
	wantStatus(t, res, http.StatusSeeOther)
	ops := w.bookOf(w.coopA)
	if len(ops) != 4 || len(ops[2].Lines) != 2 || ops[0].Ticked == nil || ops[3].Kind != ledger.Transfert {
		t.Fatalf("imported = %+v", ops)
	}
	// Confirming twice imports nothing more: the pièces are taken.
	res = c.post("/coop/cahier/2025-2026/import", url.Values{"contenu": {content}, "confirmer": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(c.doc(res), "#import-errors"); !strings.Contains(msg, "déjà utilisée") {
		t.Errorf("second import: %q", msg)
	}
	if n := len(w.bookOf(w.coopA)); n != 4 {
		t.Fatalf("book = %d operations", n)
	}
	// A bad file lists its errors by line and writes nothing.
	bad := strings.Replace(sampleBook, "75600008", "79999999", 1)
	res = c.postMultipart("/coop/cahier/2025-2026/import", url.Values{}, "fichier", "bad.csv", []byte(bad))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(c.doc(res), "#import-errors"); !strings.Contains(msg, "ligne 2") || !strings.Contains(msg, "79999999") {
		t.Errorf("bad file: %q", msg)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	w := newWorld(t)
	cs := w.coopScopeOf(w.coopA)
	ctx := context.Background()
	if _, err := cs.CreateRegie(ctx, "CM2", "M. Blanc"); err != nil {
		t.Fatal(err)
	}
	ops, err := service.ParseBookFile([]byte(sampleBook), mustBook(t, cs))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.ImportOperations(ctx, ex25, ops); err != nil {
		t.Fatal(err)
	}
	adv := tOp(ledger.Transfert, "15/10/2025", "5", ledger.Banque, "60")
	adv.Counterpart = ledger.RegieTreasury("CM2")
	w.addOp(w.coopA, adv)
	exp := tOp(ledger.Depense, "16/10/2025", "6", ledger.RegieTreasury("CM2"), "25,20")
	exp.Project = "Carnaval"
	w.addOp(w.coopA, exp)
	c := w.login("0310036W")
	res := c.get("/coop/cahier/2025-2026/export.csv")
	wantStatus(t, res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "cahier-0310036W-2025-2026.csv") {
		t.Errorf("disposition = %q", cd)
	}
	csv := body(t, res)
	// Import into the other coop's empty exercice: same book.
	other := w.login("0310100R")
	res = other.postMultipart("/coop/cahier/2025-2026/import", url.Values{"confirmer": {"1"}}, "fichier", "export.csv", []byte(csv))
	wantStatus(t, res, http.StatusSeeOther)
	strip := func(ops []ledger.Operation) []ledger.Operation {
		for i := range ops {
			ops[i].ID = 0
		}
		return ops
	}
	a, b := strip(w.bookOf(w.coopA)), strip(w.bookOf(w.coopA2))
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip differs:\n%+v\n%+v", a, b)
	}
	// The régie named by the file was opened in the other coop.
	if r, _ := w.coopScopeOf(w.coopA2).LedgerRegies(ctx); len(r) != 1 || r[0].ID != "CM2" {
		t.Errorf("régies = %+v", r)
	}
	// XLSX: a sheet of operations and a sheet of totals per account.
	res = c.get("/coop/cahier/2025-2026/export.xlsx")
	wantStatus(t, res, http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(body(t, res)))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); !reflect.DeepEqual(sheets, []string{report.SheetOperations, report.SheetTotals}) {
		t.Errorf("sheets = %v", sheets)
	}
}

func mustBook(t *testing.T, cs *store.CoopScope) *store.Book {
	t.Helper()
	b, err := cs.Book(context.Background(), ex25)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ledgerCLI is cliWorld seen from coop A (opening 2025-2026 with 100 € at
// the bank and 10 € in cash).
func ledgerCLI(t *testing.T) (env func(string) string, db *store.DB, a *store.CoopScope) {
	t.Helper()
	env, db, a, _ = cliWorld(t)
	return env, db, a
}

func ledgerRun(t *testing.T, env func(string) string, content []byte, args ...string) (int, string, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "cahier.csv")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Args: append([]string{"ledger", "import", file}, args...), Stdout: &out, Stderr: &errb, Getenv: env})
	return code, out.String(), errb.String()
}

func TestLedgerImportCommand(t *testing.T) {
	env, _, a := ledgerCLI(t)
	code, out, errs := ledgerRun(t, env, []byte(sampleBook), "--uai", "0310036w", "--exercice", "2025-2026")
	if code != 0 || !strings.Contains(out, "4 opérations importées") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	ops, _ := a.BookOperations(context.Background(), ex25)
	if len(ops) != 4 {
		t.Fatalf("book = %d", len(ops))
	}
	// The same file again: every pièce is already in the book, and each
	// problem names the line of the file, not only the pièce.
	code, _, errs = ledgerRun(t, env, []byte(sampleBook), "--uai", "0310036w", "--exercice", "2025-2026")
	if code == 0 || !strings.Contains(strings.ToLower(errs), "ligne 2 : pièce « 1 » : la pièce « 1 » est déjà utilisée") {
		t.Fatalf("re-import: %d %s", code, errs)
	}
	if ops, _ := a.BookOperations(context.Background(), ex25); len(ops) != 4 {
		t.Fatalf("a refused re-import changed the book: %d operations", len(ops))
	}
	// An exercice the coop does not have yet is opened at zero.
	year := strings.ReplaceAll(strings.ReplaceAll(sampleBook, "/2025", "/2024"), ";2;Vente", ";2;Vente")
	year = strings.Replace(year, "02/09/2024;1;Cotisations des familles;remise;;banque;75600008;450,00;;30/09/2024\n",
		"02/09/2024;1;Cotisations des familles;remise;;banque;75600008;450,00;;30/09/2024\n02/09/2024;1b;Fonds de caisse;especes;;caisse;75600008;50,00;;\n", 1)
	if code, _, errs := ledgerRun(t, env, []byte(year), "--uai", "0310036W", "--exercice", "2024-2025"); code != 0 {
		t.Fatalf("new exercice: %s", errs)
	}
}

func TestLedgerImportBadFiles(t *testing.T) {
	header := "date;piece;libelle;mode;cheque;tresorerie;compte;recette;depense;pointage\n"
	cases := []struct {
		name  string
		file  []byte
		wants []string
	}{
		{"wrong columns", []byte("date;numero;libelle;montant\n02/09/2025;1;x;10\n"), []string{"colonne"}},
		{"unbalanced ventilation", []byte(header +
			"02/10/2025;7;Sortie;cheque;001;banque;62510008;;100,00;\n" +
			"02/10/2025;7;Sortie;cheque;001;banque;70800008;20,00;;\n"), []string{"ligne 3", "mélange recettes et dépenses"}},
		{"both columns", []byte(header + "02/10/2025;7;Sortie;cheque;001;banque;62510008;5;100,00;\n"), []string{"ligne 2", "recette et dépense"}},
		{"negative cash", []byte(header + "05/09/2025;1;Achat;especes;;caisse;60600008;;25,00;\n"), []string{"ligne 2", "caisse deviendrait négative"}},
		{"outside the exercice", []byte(header + "05/09/2026;1;Achat;carte;;banque;60600008;;25,00;\n"), []string{"ligne 2", "hors de l'exercice 2025-2026"}},
		{"unknown account", []byte(header + "05/09/2025;1;Achat;carte;;banque;60600009;;25,00;\n"), []string{"ligne 2", "60600009"}},
		{"wrong account class", []byte(header + "05/09/2025;1;Achat;carte;;banque;70800008;;25,00;\n"), []string{"ligne 2", "compte de charges"}},
		{"windows-1252 accents, one bad date", win1252(header +
			"05/09/2025;1;Fête de l'école;especes;;caisse;70810008;25,00;;\n" +
			"31/02/2026;2;Goûter;especes;;caisse;60600008;;5,00;\n"), []string{"ligne 3", "31/02/2026"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env, db, a := ledgerCLI(t)
			code, _, errs := ledgerRun(t, env, tc.file, "--uai", "0310036W", "--exercice", "2025-2026")
			if code != 1 {
				t.Fatalf("exit %d", code)
			}
			for _, want := range append(tc.wants, "aucune opération n'a été enregistrée") {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			if ops, _ := a.BookOperations(context.Background(), ex25); len(ops) != 0 {
				t.Errorf("%d operations written", len(ops))
			}
			if n, _ := db.System().AuditCount(context.Background(), a.ID(), "cahier.import"); n != 0 {
				t.Error("import audited")
			}
		})
	}
	t.Run("windows-1252 accents are read", func(t *testing.T) {
		env, _, a := ledgerCLI(t)
		file := win1252(header + "05/09/2025;1;Fête de l'école;especes;;caisse;70810008;25,00;;\n")
		if code, _, errs := ledgerRun(t, env, file, "--uai", "0310036W", "--exercice", "2025-2026"); code != 0 {
			t.Fatal(errs)
		}
		ops, _ := a.BookOperations(context.Background(), ex25)
		if len(ops) != 1 || ops[0].Libelle != "Fête de l'école" {
			t.Fatalf("book = %+v", ops)
		}
	})
	t.Run("closed exercice", func(t *testing.T) {
		env, _, a := ledgerCLI(t)
		if err := a.CloseExercice(context.Background(), store.Closing{Exercice: ex25, By: "test"}); err != nil {
			t.Fatal(err)
		}
		code, _, errs := ledgerRun(t, env, []byte(sampleBook), "--uai", "0310036W", "--exercice", "2025-2026")
		if code != 1 || !strings.Contains(errs, "clôturé") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("unknown coop", func(t *testing.T) {
		env, _, _ := ledgerCLI(t)
		code, _, errs := ledgerRun(t, env, []byte(sampleBook), "--uai", "0310999X", "--exercice", "2025-2026")
		if code != 1 || !strings.Contains(errs, "aucune coopérative") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

func win1252(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}
