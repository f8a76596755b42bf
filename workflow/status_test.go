package workflow

import (
	"reflect"
	"testing"
)

func TestDerivedStatus(t *testing.T) {
	complete0 := build(t, fresh(), completeEvents()...)
	cases := []struct {
		name    string
		d       Dossier
		status  DossierStatus
		missing []ItemKey
		score   int
	}{
		{"new dossier", fresh(), DossierIncomplet, []ItemKey{Cloture, CRA, CRF, Subventions, Quitus, Releve, Justificatifs}, 0},
		{"new dossier without book", NewDossier(1, 7, false), DossierIncomplet, []ItemKey{CRA, CRF, Subventions, Quitus, Releve, Justificatifs}, 0},
		{"half done", build(t, fresh(), completeEvents()[:3]...), DossierIncomplet, []ItemKey{Subventions, Quitus, Releve, Justificatifs}, 42},
		{"everything received, no subsidy", complete0, DossierTransmis, nil, 100},
		{"everything received, two subsidies", build(t, fresh(), completeEvents(subA, subB)...), DossierTransmis, nil, 100},
		{"one proof missing", build(t, fresh(), completeEvents(subA, subB)[:7]...), DossierIncomplet, []ItemKey{Justificatifs}, 85},
		{"correction pending", build(t, complete0, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"}), DossierACorriger, nil, 83},
		{
			"correction pending outranks a missing item",
			build(t, fresh(), DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 1}, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"}),
			DossierACorriger, []ItemKey{Cloture, CRA, CRF, Subventions, Releve, Justificatifs}, 0,
		},
		{"all accepted but not validated", build(t, complete0, ItemAccepted{Stamp: staff, Item: Quitus}), DossierTransmis, nil, 100},
		{"validated", build(t, complete0, DossierValidated{Stamp: staff}), DossierValide, nil, 100},
		{"stored flag alone makes it validated", Dossier{Validated: true, Items: fresh().Items}, DossierValide, fresh().Missing(), 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.d.Status(); got != c.status {
				t.Errorf("Status = %s, want %s", got, c.status)
			}
			if got := c.d.Missing(); !reflect.DeepEqual(got, c.missing) {
				t.Errorf("Missing = %v, want %v", got, c.missing)
			}
			if got := c.d.Score(); got != c.score {
				t.Errorf("Score = %d, want %d", got, c.score)
			}
		})
	}
}

func TestChecklistLeavesOutProofsOfAnEmptyTable(t *testing.T) {
	keys := func(items []Item) []ItemKey {
		var out []ItemKey
		for _, it := range items {
			out = append(out, it.Key)
		}
		return out
	}
	unknown := fresh()
	if got := keys(unknown.Checklist()); len(got) != 7 || got[6] != Justificatifs {
		t.Errorf("before the subsidy table, checklist = %v", got)
	}
	empty := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions})
	if got := keys(empty.Checklist()); !reflect.DeepEqual(got, []ItemKey{Cloture, CRA, CRF, Subventions, Quitus, Releve}) {
		t.Errorf("with an empty table, checklist = %v", got)
	}
	listed := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA}})
	if got := keys(listed.Checklist()); len(got) != 7 {
		t.Errorf("with a subsidy, checklist = %v", got)
	}
}

func TestProofs(t *testing.T) {
	subC := Subsidy{Ref: "s3", Label: "Région"}
	base := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB, subC}})
	doc := func(id int64, ref string) Event {
		return DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: id, SubsidyRef: ref}
	}
	cases := []struct {
		name string
		evs  []Event
		want []SubsidyProof
	}{
		{"nothing yet", nil, []SubsidyProof{{Subsidy: subA}, {Subsidy: subB}, {Subsidy: subC}}},
		{"named proofs go to their subsidy", []Event{doc(1, "s3"), doc(2, "s3")}, []SubsidyProof{{Subsidy: subA}, {Subsidy: subB}, {Subsidy: subC, DocumentIDs: []int64{1, 2}}}},
		{
			"unnamed proofs fill the first subsidies without proof",
			[]Event{doc(1, "s1"), doc(2, ""), doc(3, "")},
			[]SubsidyProof{{Subsidy: subA, DocumentIDs: []int64{1}}, {Subsidy: subB, DocumentIDs: []int64{2}}, {Subsidy: subC, DocumentIDs: []int64{3}}},
		},
		{
			"waived subsidies get no unnamed proof",
			[]Event{ProofWaived{Stamp: staff, SubsidyRef: "s1"}, doc(2, "")},
			[]SubsidyProof{{Subsidy: subA, Waived: true}, {Subsidy: subB, DocumentIDs: []int64{2}}, {Subsidy: subC}},
		},
		{
			"extra unnamed proofs stay unassigned",
			[]Event{doc(1, ""), doc(2, ""), doc(3, ""), doc(4, "")},
			[]SubsidyProof{{Subsidy: subA, DocumentIDs: []int64{1}}, {Subsidy: subB, DocumentIDs: []int64{2}}, {Subsidy: subC, DocumentIDs: []int64{3}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := build(t, base, c.evs...)
			if got := d.Proofs(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Proofs = %+v\nwant     %+v", got, c.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	for _, k := range ItemKeys() {
		if k.Label() == string(k) || k.Label() == "" {
			t.Errorf("item %s has no French label", k)
		}
		if got, err := ParseItemKey(string(k)); err != nil || got != k {
			t.Errorf("ParseItemKey(%s) = %s, %v", k, got, err)
		}
	}
	if _, err := ParseItemKey("bulletin"); err == nil || err.Error() != "élément « bulletin » inconnu" {
		t.Errorf("ParseItemKey(bulletin) error = %v", err)
	}
	if Justificatifs.Label() != "Justificatifs des subventions" || Releve.Label() != "Relevé bancaire au 31 août" {
		t.Error("labels differ from the issue's wording")
	}
	for _, s := range []DossierStatus{DossierIncomplet, DossierTransmis, DossierACorriger, DossierValide} {
		if s.Label() == string(s) {
			t.Errorf("dossier status %s has no label", s)
		}
	}
	for _, s := range []ItemStatus{ItemManquant, ItemRecu, ItemAccepte, ItemACorriger} {
		if s.Label() == string(s) {
			t.Errorf("item status %s has no label", s)
		}
	}
}
