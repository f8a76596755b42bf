package ledger

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"retkoop/app/csvin"
)

const bookHeader = "date;piece;libelle;mode;cheque;tresorerie;compte;recette;depense;pointage\n"

func TestParseBookCSV(t *testing.T) {
	in := bookHeader +
		"03/10/2025;1;Affiliation OCCE;cheque;0001234;banque;62810008;;80,00;31/10/2025\n" +
		"03/10/2025;1;Affiliation OCCE;cheque;0001234;banque;61681008;;20,00;31/10/2025\n" +
		"\n" +
		"2025-10-05;2;Photos de classe;especes;;caisse;70700008;1 234,56;;\n" +
		"06/10/2025;3;Dépôt d'espèces;remise;;caisse;banque;;200;\n" +
		"06/10/2025;3;Dépôt d'espèces;remise;;banque;caisse;200;;\n" + // mirrored half: merged
		"07/10/2025;4;Avance régie CE1;especes;;caisse;regie:CE1;;50;\n" +
		"08/10/2025;5;Peinture;carte;;regie:CE1;60600008;;12.40;\n" +
		"09/10/2025;6;Retrait;especes;;caisse;banque;100;;\n" // recette on caisse from the bank
	chart := Chart{"62810008": "", "61681008": "", "70700008": "", "60600008": ""}
	ops, err := ParseBookCSV(strings.NewReader(in), ex2025, chart, Balances{Banque: eur("500")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 6 {
		t.Fatalf("got %d operations: %+v", len(ops), ops)
	}
	affil := ops[0]
	if affil.Kind != Depense || affil.Amount != eur("100") || len(affil.Lines) != 2 || affil.Mode != Cheque ||
		affil.Cheque != "0001234" || affil.Ticked == nil || !affil.Ticked.Equal(day("31/10/2025")) || affil.Treasury != Banque {
		t.Errorf("affiliation = %+v", affil)
	}
	if p := ops[1]; p.Kind != Recette || p.Amount != eur("1234,56") || p.Treasury != Caisse || p.Ticked != nil {
		t.Errorf("photos = %+v", p)
	}
	if d := ops[2]; d.Kind != Transfert || d.Treasury != Caisse || d.Counterpart != Banque || d.Amount != eur("200") || d.Lines != nil {
		t.Errorf("dépôt = %+v", d)
	}
	if a := ops[3]; a.Kind != Transfert || a.Counterpart != RegieTreasury("CE1") {
		t.Errorf("avance = %+v", a)
	}
	if p := ops[4]; p.Kind != Depense || p.Treasury != RegieTreasury("CE1") || p.Amount != eur("12,40") || p.Mode != Carte {
		t.Errorf("peinture = %+v", p)
	}
	if w := ops[5]; w.Kind != Transfert || w.Treasury != Banque || w.Counterpart != Caisse || w.Amount != eur("100") {
		t.Errorf("retrait = %+v", w)
	}
	for _, op := range ops {
		if op.ID != 0 {
			t.Errorf("imported operation has ID %d", op.ID)
		}
	}
}

func TestParseBookCSVWindows1252Comma(t *testing.T) {
	in := []byte("Date,Pi\xe8ce,Libell\xe9,Tr\xe9sorerie,Compte,Recette,D\xe9pense\r\n" +
		"05/10/2025,R01,F\xeate de l'\xe9cole,caisse,70700008,\"45,50\",\r\n")
	ops, err := ParseBookCSV(bytes.NewReader(in), ex2025, Chart{"70700008": ""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0].Libelle != "Fête de l'école" || ops[0].Amount != eur("45,50") || ops[0].Piece != "R01" {
		t.Errorf("ops = %+v", ops)
	}
}

func TestParseBookCSVErrors(t *testing.T) {
	in := bookHeader +
		"03/10/2025;1;Affiliation;cheque;;banque;62810008;;80,00;\n" + // 2: cheque number missing (op-level)
		"31/08/2025;2;Vieux;especes;;caisse;60600008;;5;\n" + // 3: date outside
		"32/10/2025;3;Date folle;especes;;caisse;60600008;;5;\n" + // 4: bad date
		"04/10/2025;4;Compte inconnu;especes;;caisse;60000000;;5;\n" + // 5
		"04/10/2025;5;Les deux;especes;;caisse;60600008;5;5;\n" + // 6
		"04/10/2025;6;Rien;especes;;caisse;60600008;;;\n" + // 7
		"04/10/2025;7;Montant;especes;;caisse;60600008;;12,345;\n" + // 8
		"04/10/2025;8;Mauvaise classe;especes;;caisse;60600008;5;;\n" + // 9
		"04/10/2025;9;Mélange;especes;;caisse;70700008;5;;\n" + // 10
		"04/10/2025;9;Mélange;especes;;caisse;60600008;;5;\n" + // 11
		"04/10/2025;10;Trésor;especes;;coffre;60600008;;5;\n" + // 12
		"04/10/2025;11;Mode;troc;;caisse;60600008;;5;\n" + // 13
		"04/10/2025;;Sans pièce;especes;;caisse;60600008;;5;\n" + // 14
		"05/10/2025;9;Même pièce;especes;;caisse;60600008;;1;\n" + // 15: pièce reused on another date
		"04/10/2025;12;Négatif;especes;;caisse;60600008;;-5;\n" + // 16
		"04/10/2025;13;Pointage;virement;;banque;60600008;;5;hier\n" + // 17
		"06/10/2025;14;Grosse dépense;especes;;caisse;60600008;;500;\n" // 18: cash negative
	chart := Chart{"62810008": "", "60600008": "", "70700008": "Ventes"}
	ops, err := ParseBookCSV(strings.NewReader(in), ex2025, chart, Balances{Caisse: eur("100")})
	if ops != nil {
		t.Errorf("all or nothing: got %d operations", len(ops))
	}
	var le csvin.LineErrors
	if !errors.As(err, &le) {
		t.Fatalf("want LineErrors, got %v", err)
	}
	want := map[int]string{
		2:  "pièce « 1 » : le numéro de chèque est obligatoire pour une dépense par chèque",
		3:  "la date 31/08/2025 est hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)",
		4:  "date invalide : « 32/10/2025 »",
		5:  "compte « 60000000 » inconnu dans le plan comptable",
		6:  "recette et dépense sur la même ligne",
		7:  "ni recette ni dépense",
		8:  "dépense : montant invalide : « 12,345 » a plus de deux décimales",
		9:  "une recette va sur un compte de produits (7…), pas sur 60600008",
		11: "la pièce « 9 » mélange recettes et dépenses",
		12: "trésorerie « coffre » inconnue",
		13: "mode de règlement « troc » inconnu",
		14: "numéro de pièce manquant",
		15: "la pièce « 9 » est déjà utilisée ligne 10",
		16: "montant négatif",
		17: "pointage : date invalide : « hier »",
		18: "la caisse deviendrait négative le 06/10/2025 (-395,00\u00a0€)",
	}
	got := map[int]string{}
	for _, e := range le {
		got[e.Line] += e.Msg + "\n"
	}
	for line, msg := range want {
		if !strings.Contains(got[line], msg) {
			t.Errorf("line %d: got %q, want %q", line, got[line], msg)
		}
	}
	for line := range got {
		if _, ok := want[line]; !ok {
			t.Errorf("unexpected error on line %d: %s", line, got[line])
		}
	}
	if !strings.Contains(err.Error(), "ligne 18 : la caisse deviendrait négative") {
		t.Errorf("message = %s", err)
	}
}

func TestParseBookCSVStructure(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"missing column", "date;piece;libelle;tresorerie;compte;recette\n", "colonne « depense » manquante"},
		{"empty", bookHeader, "le fichier ne contient aucune opération"},
		{"transfer mixed with ventilation", bookHeader +
			"06/10/2025;3;Dépôt;remise;;caisse;banque;;200;\n06/10/2025;3;Dépôt;remise;;caisse;60600008;;20;\n",
			"ligne 3 : la pièce « 3 » mélange un mouvement interne et une ventilation"},
		{"transfer to two places", bookHeader +
			"06/10/2025;3;Dépôt;remise;;caisse;banque;;20;\n06/10/2025;3;Dépôt;remise;;caisse;regie:CE1;;20;\n",
			"ligne 3 : la pièce « 3 » déplace de l'argent vers deux trésoreries différentes"},
		{"transfer to itself", bookHeader + "06/10/2025;3;Dépôt;remise;;caisse;caisse;;20;\n",
			"ligne 2 : pièce « 3 » : un mouvement interne relie deux trésoreries différentes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBookCSV(strings.NewReader(tt.in), ex2025, Chart{"60600008": ""}, Balances{Caisse: eur("500")})
			wantContains(t, err, tt.want)
		})
	}
}

func TestBookCSVRoundTrip(t *testing.T) {
	ops := totalsFixture()
	ops[0].Mode, ops[0].Cheque = Cheque, "0001234"
	withRegie := []Operation{
		xfer(6, "01/03/2026", "6", Banque, RegieTreasury("CE1"), "50"),
		dep(7, "02/03/2026", "7", RegieTreasury("CE1"), "50", "60600008"),
	}
	withRegie[1].Libelle = `Peinture "gouache"; pinceaux`
	ops = append(ops, withRegie...)
	for i := range ops {
		ops[i].ID = 0
	}
	var buf bytes.Buffer
	if err := WriteBookCSV(&buf, ops); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffdate;piece;libelle;mode;cheque;tresorerie;compte;recette;depense;pointage;projet\r\n")) {
		t.Errorf("header = %q", buf.String()[:120])
	}
	if !strings.Contains(buf.String(), "03/10/2025;1;dépense 1;cheque;0001234;banque;62810008;;80,00;;\r\n") {
		t.Errorf("CSV:\n%s", buf.String())
	}
	back, err := ParseBookCSV(&buf, ex2025, testChart, Balances{Banque: eur("100")})
	if err != nil {
		t.Fatal(err)
	}
	want := NewBook(nil, ops).Ops
	for i := range back {
		if back[i].Line < 2 {
			t.Errorf("operation %d: source line %d", i, back[i].Line)
		}
		back[i].Line = 0 // where it came from is not part of the book
	}
	if !reflect.DeepEqual(back, want) {
		for i := range want {
			if i >= len(back) || !reflect.DeepEqual(back[i], want[i]) {
				t.Errorf("operation %d:\n got %+v\nwant %+v", i, back, want[i])
				break
			}
		}
		t.Fatalf("round trip changed the book (%d vs %d operations)", len(back), len(want))
	}
}
