package store_test

import (
	"context"
	"testing"

	"retkoop/app/cra"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func fullCRA() cra.Answers {
	return cra.Answers{"classes": {"4"}, "eleves": {"98"}, "adultes": {"7"}, "conseils": {"10"}, "bureau": {"oui"},
		"projets": {"Classe de mer"}, "parents": {"Régulière"}}
}

func TestCRADraftSubmitReopen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		r, err := f.a1.CRA(ctx, ex25)
		if err != nil || r.Status != store.CRADraft || !r.UpdatedAt.IsZero() || len(r.Definition.Questions()) != len(cra.Default().Questions()) {
			t.Fatalf("empty cra = %+v, %v", r, err)
		}
		if err := f.a1.SaveCRA(ctx, ex25, cra.Answers{"classes": {"4"}}, false); err != nil {
			t.Fatalf("a partial draft: %v", err)
		}
		wantInvalid(t, f.a1.SaveCRA(ctx, ex25, cra.Answers{"classes": {"4"}}, true), "eleves : Cette question est obligatoire")
		wantInvalid(t, f.a1.SaveCRA(ctx, ex25, cra.Answers{"classes": {"0"}}, false), "au moins 1")
		if err := f.a1.SaveCRA(ctx, ex25, fullCRA(), true); err != nil {
			t.Fatal(err)
		}
		r, _ = f.a1.CRA(ctx, ex25)
		if !r.Submitted() || r.SubmittedAt.IsZero() || r.Answers["projets"][0] != "Classe de mer" {
			t.Fatalf("submitted cra = %+v", r)
		}
		wantInvalid(t, f.a1.SaveCRA(ctx, ex25, fullCRA(), false), "a été transmis")
		if err := f.a1.ReopenCRA(ctx, ex25); err != nil {
			t.Fatal(err)
		}
		r, _ = f.a1.CRA(ctx, ex25)
		if r.Submitted() || r.Answers["classes"][0] != "4" {
			t.Fatalf("reopened cra = %+v", r)
		}
		if _, err := f.b1.CRA(ctx, "1999-2000"); err == nil {
			t.Fatal("an unknown exercice has a CRA")
		}
	})
}

func TestCRADefinitionPerAD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		if err := f.a1.SaveCRA(ctx, ex25, fullCRA(), false); err != nil {
			t.Fatal(err)
		}
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		own := cra.Definition{Title: "CRA OCCE 31", Sections: []cra.Section{{Title: "Effectifs", Questions: []cra.Question{
			{Key: "sorties", Label: "Nombre de sorties", Kind: cra.Number, Required: true}}}}}
		if err := adA.SetCRADefinition(ctx, ex25, cra.Definition{Title: "vide"}); err == nil {
			t.Fatal("an empty questionnaire was accepted")
		}
		if err := adA.SetCRADefinition(ctx, ex25, own); err != nil {
			t.Fatal(err)
		}
		a2, _ := db.ForCoop(ctx, f.coopA2, nil)
		r, err := a2.CRA(ctx, ex25)
		if err != nil || r.Definition.Title != "CRA OCCE 31" {
			t.Fatalf("A2 gets its AD's questionnaire: %+v, %v", r, err)
		}
		wantInvalid(t, a2.SaveCRA(ctx, ex25, cra.Answers{}, true), "sorties")
		if err := a2.SaveCRA(ctx, ex25, cra.Answers{"sorties": {"3"}}, true); err != nil {
			t.Fatal(err)
		}
		// A1 answered the default before: it keeps it.
		if r, _ := f.a1.CRA(ctx, ex25); r.Definition.Title != cra.Default().Title {
			t.Fatalf("A1's questionnaire changed under its answers: %q", r.Definition.Title)
		}
		// AD B still has the default.
		if r, _ := f.b1.CRA(ctx, ex25); r.Definition.Title != cra.Default().Title {
			t.Fatalf("AD B got AD A's questionnaire: %q", r.Definition.Title)
		}
	})
}
