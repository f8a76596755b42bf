package apptest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"retkoop/app/demo"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// bankCLIWorld is cliWorld with the chart and coop A's book of
// seedBankBook, and IBANs: coop A's is the account of bankOFX.
func bankCLIWorld(t *testing.T) (func(string) string, *store.CoopScope) {
	t.Helper()
	ctx := context.Background()
	env, db, a, _ := cliWorld(t)
	ad, _ := db.System().ADByCode(ctx, "31")
	if err := db.System().SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
		t.Fatal(err)
	}
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	for code, iban := range map[string]string{"0310036W": "FR7630006000011234567890189", "0310100R": "FR7610107001019876543210054"} {
		co, _ := scope.CoopByUAI(ctx, code)
		p := store.CoopParams{Name: co.Name, IBAN: iban, Status: co.Status, BookMode: co.BookMode}
		if err := scope.UpdateCoop(ctx, co.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SetOpening(ctx, "2025-2026", money.MustParse("1000"), 0); err != nil {
		t.Fatal(err)
	}
	for _, op := range []ledger.Operation{
		{Date: tday("10/06/2026"), Piece: "1", Libelle: "Librairie", Kind: ledger.Depense, Mode: ledger.Cheque, Cheque: "1001",
			Treasury: ledger.Banque, Amount: 4500, Lines: []ledger.Line{{Account: "60600008", Amount: 4500}}},
		{Date: tday("25/08/2026"), Piece: "2", Libelle: "Autocar", Kind: ledger.Depense, Mode: ledger.Cheque, Cheque: "1002",
			Treasury: ledger.Banque, Amount: 8000, Lines: []ledger.Line{{Account: "62510008", Amount: 8000}}},
	} {
		if _, err := a.InsertOperation(ctx, "2025-2026", &op, ""); err != nil {
			t.Fatal(err)
		}
	}
	return env, a
}

// cliOFX is coop A's statement for bankCLIWorld: both cheques and a fee.
func cliOFX() []byte {
	return demo.DemoOFX("FR7630006000011234567890189", tday("01/06/2026"), tday("30/09/2026"), money.MustParse("867,00"), []demo.DemoLine{
		{Date: tday("14/06/2026"), Amount: -4500, Name: "CHEQUE 1001", TrnType: "CHECK", CheckNum: "1001"},
		{Date: tday("20/08/2026"), Amount: -800, Name: "FRAIS COMMISSION", TrnType: "SRVCHG"},
		{Date: tday("10/09/2026"), Amount: -8000, Name: "CHEQUE 1002", TrnType: "CHECK", CheckNum: "1002"},
	})
}

func TestBankImportCLI(t *testing.T) {
	env, _ := bankCLIWorld(t)
	file := filepath.Join(t.TempDir(), "releve.ofx")
	if err := os.WriteFile(file, cliOFX(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(env, "bank", "import", file, "--uai", "0310036w")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := map[string]any{"lignes": 3.0, "nouvelles": 3.0, "doublons": 0.0, "pointees_auto": 2.0, "proposees": 0.0, "non_rapprochees": 1.0}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("summary %s (%v), want %v", out, err, want)
	}
	code, out, _ = runCLI(env, "bank", "import", "--uai", "0310036W", file)
	want = map[string]any{"lignes": 3.0, "nouvelles": 0.0, "doublons": 3.0, "pointees_auto": 0.0, "proposees": 0.0, "non_rapprochees": 0.0}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("re-import: exit %d, %s", code, out)
	}

	code, out, errs = runCLI(env, "report", "rapprochement", "--uai", "0310036W", "--date", "2026-08-31", "--format", "json")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	var r struct {
		Date        string `json:"date"`
		SoldeReleve int64  `json:"solde_releve"`
		SoldeLivre  int64  `json:"solde_livre"`
		NonPointees []struct {
			Date, Piece, Libelle string
			Montant              int64
		} `json:"non_pointees"`
		Ecart int64 `json:"ecart"`
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal([]byte(out), &keys)
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(keys) != 5 {
		t.Fatalf("report %s: %v", out, err)
	}
	// Bank at 31/08: 867,00 + 80,00 (cashed in September) = 947,00; book:
	// 1000 − 45 − 80 = 875,00; open: the cheque of 25/08; gap: the fee.
	if r.Date != "2026-08-31" || r.SoldeReleve != 94700 || r.SoldeLivre != 87500 || len(r.NonPointees) != 1 ||
		r.NonPointees[0].Montant != -8000 || r.NonPointees[0].Piece != "2" || r.NonPointees[0].Date != "2026-08-25" || r.Ecart != 800 {
		t.Fatalf("report %s", out)
	}
	if code, _, errs := runCLI(env, "report", "rapprochement", "--uai", "0310036W", "--date", "31/08/2026"); code == 0 || !strings.Contains(errs, "AAAA-MM-JJ") {
		t.Fatalf("a French date is refused: %d %s", code, errs)
	}
	if code, _, errs := runCLI(env, "bank", "import", file, "--uai", "9999999Z"); code == 0 || !strings.Contains(errs, "UAI") {
		t.Fatalf("unknown coop: %d %s", code, errs)
	}
}

// TestBankImportCLIBatch: an AD loads a directory of its coops'
// statements; each file goes to the coop of its account (or of the UAI in
// its name); a file of no coop is reported and the others are imported.
func TestBankImportCLIBatch(t *testing.T) {
	env, a := bankCLIWorld(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"compte-a.ofx":       cliOFX(),
		"0310100R-juin.csv":  []byte("Date;Libellé;Montant\n05/06/2026;VIR SEPA DON APE;150,00\n"),
		"inconnu.csv":        []byte("Date;Libellé;Montant\n05/06/2026;VIR;1,00\n"),
		"notes-de-frais.txt": []byte("pas un relevé"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCLI(env, "bank", "import", dir, "--ad", "31")
	if code == 0 || !strings.Contains(errs, "1 fichier(s) sur 3") {
		t.Fatalf("batch with an unknown file: exit %d, %s", code, errs)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		switch {
		case m["erreur"] != nil:
			got = append(got, filepath.Base(m["fichier"].(string))+" erreur")
		default:
			got = append(got, filepath.Base(m["fichier"].(string))+" "+m["uai"].(string)+" "+jsonNum(m["nouvelles"]))
		}
	}
	sort.Strings(got)
	want := []string{"0310100R-juin.csv 0310100R 1", "compte-a.ofx 0310036W 3", "inconnu.csv erreur"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("batch output %v, want %v\n%s", got, want, out)
	}
	if sts, _ := a.BankStatements(context.Background()); len(sts) != 1 {
		t.Fatalf("coop A has %d statements", len(sts))
	}
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
