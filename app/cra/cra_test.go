package cra

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	d := Default()
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatalf("the default does not survive JSON: %v", err)
	}
	if len(back.Questions()) != len(d.Questions()) || *back.Questions()[0].Min != 1 {
		t.Fatalf("round trip lost questions: %+v", back)
	}
	var keys []string
	for _, q := range d.Questions() {
		keys = append(keys, q.Key)
	}
	for _, k := range []string{"classes", "eleves", "adultes", "conseils", "bureau", "projets", "actions_occe", "solidarite", "parents", "formation"} {
		if !slices.Contains(keys, k) {
			t.Errorf("default lacks %q", k)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"not json", `{`, "illisible"},
		{"unknown field", `{"titre":"x","sections":[],"couleur":"bleu"}`, "illisible"},
		{"empty", `{"titre":"x","sections":[]}`, "aucune question"},
		{"untitled section", `{"sections":[{"titre":" ","questions":[{"cle":"a","libelle":"A","type":"texte"}]}]}`, "pas de titre"},
		{"bad key", `{"sections":[{"titre":"S","questions":[{"cle":"Élèves","libelle":"A","type":"texte"}]}]}`, "minuscules"},
		{"duplicate key", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"A","type":"texte"},{"cle":"a","libelle":"B","type":"nombre"}]}]}`, "en double"},
		{"unknown kind", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"A","type":"date"}]}]}`, "inconnu"},
		{"one choice", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"A","type":"choix","choix":["x"]}]}]}`, "au moins deux"},
		{"min > max", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"A","type":"nombre","min":5,"max":1}]}]}`, "min dépasse max"},
		{"bounds on text", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"A","type":"texte","max":5}]}]}`, "que pour un nombre"},
		{"no label", `{"sections":[{"titre":"S","questions":[{"cle":"a","libelle":"","type":"texte"}]}]}`, "libellé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBind(t *testing.T) {
	d := Default()
	full := map[string][]string{
		"classes": {" 4 "}, "eleves": {"1 02"}, "adultes": {"9"}, "conseils": {"12"}, "bureau": {"Oui"},
		"projets": {"Classe verte\r\nJardin"}, "actions_occe": {"Agenda coopératif", "Théâtre (Théâ)", "Agenda coopératif"},
		"parents": {"Régulière"}, "formation": {""},
	}
	tests := []struct {
		name   string
		edit   func(f map[string][]string)
		submit bool
		errs   map[string]string
	}{
		{"complete submission", func(map[string][]string) {}, true, nil},
		{"draft may be partial", func(f map[string][]string) { delete(f, "classes"); f["projets"] = nil }, false, nil},
		{"submission needs required", func(f map[string][]string) { delete(f, "classes"); f["bureau"] = []string{" "} }, true,
			map[string]string{"classes": "obligatoire", "bureau": "obligatoire"}},
		{"not a number", func(f map[string][]string) { f["eleves"] = []string{"beaucoup"} }, false, map[string]string{"eleves": "nombre entier"}},
		{"below min", func(f map[string][]string) { f["classes"] = []string{"0"} }, false, map[string]string{"classes": "au moins 1"}},
		{"above max", func(f map[string][]string) { f["eleves"] = []string{"2001"} }, false, map[string]string{"eleves": "au plus 2000"}},
		{"yes/no", func(f map[string][]string) { f["bureau"] = []string{"peut-être"} }, false, map[string]string{"bureau": "oui ou non"}},
		{"unknown choice", func(f map[string][]string) { f["parents"] = []string{"Souvent"} }, false, map[string]string{"parents": "une des réponses"}},
		{"two answers to one choice", func(f map[string][]string) { f["parents"] = []string{"Aucune", "Régulière"} }, false,
			map[string]string{"parents": "Une seule réponse"}},
		{"unknown multiple", func(f map[string][]string) { f["actions_occe"] = []string{"Autre", "Piscine"} }, false,
			map[string]string{"actions_occe": "parmi les réponses"}},
		{"text too long", func(f map[string][]string) { f["formation"] = []string{strings.Repeat("é", 1001)} }, false,
			map[string]string{"formation": "1001 caractères ; 1000 au plus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := map[string][]string{}
			for k, v := range full {
				f[k] = slices.Clone(v)
			}
			tt.edit(f)
			a, errs := Bind(d, f, tt.submit)
			if len(errs) != len(tt.errs) {
				t.Fatalf("errors = %v, want %v", errs, tt.errs)
			}
			for k, want := range tt.errs {
				if !strings.Contains(errs[k], want) {
					t.Errorf("error of %s = %q, want %q", k, errs[k], want)
				}
			}
			if tt.errs == nil && a == nil {
				t.Fatal("no answers")
			}
		})
	}
	a, errs := Bind(d, full, true)
	if errs != nil {
		t.Fatal(errs)
	}
	want := Answers{"classes": {"4"}, "eleves": {"102"}, "adultes": {"9"}, "conseils": {"12"}, "bureau": {"oui"},
		"projets": {"Classe verte\nJardin"}, "actions_occe": {"Théâtre (Théâ)", "Agenda coopératif"}, "parents": {"Régulière"}}
	if len(a) != len(want) {
		t.Fatalf("answers = %v", a)
	}
	for k, v := range want {
		if !slices.Equal(a[k], v) {
			t.Errorf("%s = %q, want %q", k, a[k], v)
		}
	}
	if errs := Check(d, a, true); errs != nil {
		t.Errorf("canonical answers do not check: %v", errs)
	}
	qs := d.Questions()
	byKey := func(k string) Question { return qs[slices.IndexFunc(qs, func(q Question) bool { return q.Key == k })] }
	if got := byKey("bureau").Display(a); got != "Oui" {
		t.Errorf("display yes/no = %q", got)
	}
	if got := byKey("actions_occe").Display(a); got != "Théâtre (Théâ), Agenda coopératif" {
		t.Errorf("display multiple = %q", got)
	}
	if got := byKey("formation").Display(a); got != "—" {
		t.Errorf("display unanswered = %q", got)
	}
	if e := (Errors{"b": "deux", "a": "un"}).Error(); e != "a : un ; b : deux" {
		t.Errorf("Errors.Error = %q", e)
	}
}
