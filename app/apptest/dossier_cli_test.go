package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"retkoop/app/cli"
	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// cliWorld is a database file with AD 31 (seed chart) and two coops, for
// commands run through Run; coop A opens 2025-2026 with 100 € at the bank
// and 10 € in cash.
func cliWorld(t *testing.T) (env func(string) string, db *store.DB, a, b *store.CoopScope) {
	t.Helper()
	ctx := context.Background()
	env, db, _ = cliDatabase(t, "sqlite:"+filepath.Join(t.TempDir(), "retkoop.db"))
	ad, _ := db.System().EnsureAD(ctx, "31", "OCCE 31")
	if err := db.System().SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
		t.Fatal(err)
	}
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	if _, err := scope.ImportCoops(ctx, []store.CoopImport{{UAI: "0310036W", Params: store.CoopParams{Name: "École Alpha"},
		OpeningBank: 10000, OpeningCash: 1000}, {UAI: "0310100R", Params: store.CoopParams{Name: "École Bis"}}}, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	ca, _ := scope.CoopByUAI(ctx, "0310036W")
	cb, _ := scope.CoopByUAI(ctx, "0310100R")
	a, _ = db.ForCoop(ctx, ca.ID, nil)
	b, _ = db.ForCoop(ctx, cb.ID, nil)
	return env, db, a, b
}

// cliDatabase is a migrated database at dsn and the environment of a
// command run against it (its data directory is dataDir).
func cliDatabase(t *testing.T, dsn string) (env func(string) string, db *store.DB, dataDir string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	env = func(k string) string {
		switch k {
		case "RETKOOP_DATABASE":
			return dsn
		case "RETKOOP_DATA_DIR":
			return filepath.Join(dir, "data")
		}
		return ""
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return env, db, filepath.Join(dir, "data")
}

func runCLI(env func(string) string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Args: args, Stdout: &out, Stderr: &errb, Getenv: env})
	return code, out.String(), errb.String()
}

func TestDossierShowJSON(t *testing.T) {
	ctx := context.Background()
	env, _, a, b := cliWorld(t)
	sum := strings.Repeat("ab", 32)
	doc, _, err := a.AddDocument(ctx, docstore.Stored{SHA256: sum, Size: 183422, MIME: "application/pdf"}, "scan.pdf", "mail")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 9, 18, 8, 2, 11, 0, time.UTC) // 10:02:11 in Paris
	if _, _, err := a.ApplyDossier(ctx, "2025-2026", workflow.DocumentReceived{Stamp: workflow.Stamp{At: at, By: "courriel"},
		Item: workflow.Quitus, Source: workflow.SourceMail, DocumentID: doc.ID}, nil); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(env, "dossier", "show", "--uai", "0310036w", "--exercice", "2025-2026", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		UAI, Exercice, Echeance, Statut string
		Elements                        []struct {
			Cle, Libelle, Statut string
			Documents            []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.UAI != "0310036W" || got.Exercice != "2025-2026" || got.Echeance != "2026-09-30" || got.Statut != "incomplet" || len(got.Elements) != 7 {
		t.Fatalf("dossier = %+v", got)
	}
	keys := []string{}
	for _, el := range got.Elements {
		keys = append(keys, el.Cle)
	}
	if strings.Join(keys, ",") != "cloture,cra,crf,subventions,quitus,releve,justificatifs_subventions" {
		t.Fatalf("item keys %v", keys)
	}
	q := got.Elements[4]
	if q.Libelle != "Quitus de la commission de contrôle des comptes" || q.Statut != "recu" || len(q.Documents) != 1 {
		t.Fatalf("quitus = %+v", q)
	}
	want := map[string]any{"id": float64(doc.ID), "nom": "scan.pdf", "type": "application/pdf", "taille": float64(183422),
		"sha256": sum, "source": "mail", "recu_le": "2026-09-18T10:02:11+02:00"}
	if !reflect.DeepEqual(q.Documents[0], want) {
		t.Fatalf("document = %v\nwant %v", q.Documents[0], want)
	}
	if got.Elements[0].Statut != "manquant" || got.Elements[0].Documents == nil {
		t.Fatalf("missing item = %+v (documents must be [], not null)", got.Elements[0])
	}

	// A coop whose dossier was never opened is shown as new, and reading
	// it creates nothing.
	code, out, _ = runCLI(env, "dossier", "show", "--uai", "0310100R", "--exercice", "2025-2026", "--format", "json")
	if code != 0 || !strings.Contains(out, `"statut": "incomplet"`) {
		t.Fatalf("unopened dossier: %d %s", code, out)
	}
	if _, err := b.FindDossier(ctx, "2025-2026"); !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("dossier show opened a dossier: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--uai", "0310999X", "--exercice", "2025-2026"}, "aucune coopérative d'UAI"},
		{[]string{"--uai", "0310036W", "--exercice", "2019-2020"}, "n'a pas d'exercice 2019-2020"},
		{[]string{"--uai", "0310036W", "--exercice", "2025"}, "exercice"},
		{[]string{"--uai", "0310036W", "--exercice", "2025-2026", "--format", "csv"}, "seul json"},
		{[]string{"--exercice", "2025-2026"}, "il faut --uai"},
	} {
		code, out, errs := runCLI(env, append([]string{"dossier", "show"}, tc.args...)...)
		if code != 1 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, errs)
		}
	}
}
