package workflow

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestApplyValid(t *testing.T) {
	complete0 := build(t, fresh(), completeEvents()...)
	complete2 := build(t, fresh(), completeEvents(subA, subB)...)
	quitusToFix := build(t, complete0, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "Signature du parent manquante"})
	clotureToFix := build(t, complete0, CorrectionRequested{Stamp: staff, Item: Cloture, Reason: "Écart de caisse"})
	proofToFix := build(t, complete2, CorrectionRequested{Stamp: staff, Item: Justificatifs, Reason: "Illisible"})
	validated := build(t, complete0, DossierValidated{Stamp: staff})
	subsNoProof := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}})
	allButProofs := build(t, fresh(), completeEvents(subA, subB)[:6]...)

	cases := []struct {
		name    string
		start   Dossier
		ev      Event
		items   map[ItemKey]ItemStatus
		status  DossierStatus
		effects []Effect
		check   func(t *testing.T, d Dossier)
	}{
		{
			name:   "document received on a missing item",
			start:  fresh(),
			ev:     DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 5},
			items:  map[ItemKey]ItemStatus{Quitus: ItemRecu, Releve: ItemManquant},
			status: DossierIncomplet,
			check: func(t *testing.T, d Dossier) {
				it, _ := d.Item(Quitus)
				want := []Document{{ID: 5, Source: SourceMail, ReceivedAt: mail.At}}
				if !reflect.DeepEqual(it.Documents, want) {
					t.Errorf("documents = %+v, want %+v", it.Documents, want)
				}
			},
		},
		{
			name:   "second document on a received item",
			start:  complete0,
			ev:     DocumentReceived{Stamp: later, Item: Releve, Source: SourcePoste, DocumentID: 6},
			items:  map[ItemKey]ItemStatus{Releve: ItemRecu},
			status: DossierTransmis,
		},
		{
			name:   "new document on an accepted item sends it back to review",
			start:  build(t, complete0, ItemAccepted{Stamp: staff, Item: Releve}),
			ev:     DocumentReceived{Stamp: later, Item: Releve, Source: SourceWeb, DocumentID: 6},
			items:  map[ItemKey]ItemStatus{Releve: ItemRecu},
			status: DossierTransmis,
		},
		{
			name:    "document answers the item's correction",
			start:   quitusToFix,
			ev:      DocumentReceived{Stamp: later, Item: Quitus, Source: SourceMail, DocumentID: 6},
			items:   map[ItemKey]ItemStatus{Quitus: ItemRecu},
			status:  DossierTransmis,
			effects: []Effect{NotifyStaff{Kind: NoticeCorrectionAnswered, Item: Quitus, CorrectionID: 1, DocumentID: 6}, NotifyStaff{Kind: NoticeDossierTransmitted}},
			check: func(t *testing.T, d Dossier) {
				c := d.Corrections[0]
				if c.Open() || !c.ResolvedAt.Equal(later.At) || c.DocumentID != 6 || c.Answer != "" {
					t.Errorf("correction = %+v, want resolved by document 6 at %v", c, later.At)
				}
			},
		},
		{
			name:    "last document makes the dossier transmitted",
			start:   build(t, fresh(), completeEvents()[:5]...),
			ev:      DocumentReceived{Stamp: mand, Item: Releve, Source: SourceWeb, DocumentID: 2},
			items:   map[ItemKey]ItemStatus{Releve: ItemRecu},
			status:  DossierTransmis,
			effects: []Effect{NotifyStaff{Kind: NoticeDossierTransmitted}},
		},
		{
			name:    "document after validation is kept and told to the staff",
			start:   validated,
			ev:      DocumentReceived{Stamp: later, Item: Quitus, Source: SourceMail, DocumentID: 6},
			items:   map[ItemKey]ItemStatus{Quitus: ItemAccepte},
			status:  DossierValide,
			effects: []Effect{NotifyStaff{Kind: NoticeLateDocument, Item: Quitus, DocumentID: 6}},
			check: func(t *testing.T, d Dossier) {
				if it, _ := d.Item(Quitus); len(it.Documents) != 2 {
					t.Errorf("quitus has %d documents, want 2", len(it.Documents))
				}
			},
		},
		{
			name:   "one proof of two subsidies leaves the proofs missing",
			start:  allButProofs,
			ev:     DocumentReceived{Stamp: mand, Item: Justificatifs, Source: SourceWeb, DocumentID: 10, SubsidyRef: "s2"},
			items:  map[ItemKey]ItemStatus{Justificatifs: ItemManquant},
			status: DossierIncomplet,
		},
		{
			name:    "proof of the last subsidy completes the proofs",
			start:   build(t, allButProofs, DocumentReceived{Stamp: mand, Item: Justificatifs, Source: SourceWeb, DocumentID: 10, SubsidyRef: "s2"}),
			ev:      DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 11},
			items:   map[ItemKey]ItemStatus{Justificatifs: ItemRecu},
			status:  DossierTransmis,
			effects: []Effect{NotifyStaff{Kind: NoticeDossierTransmitted}},
		},
		{
			name:   "proof before the subsidies are known counts as received",
			start:  fresh(),
			ev:     DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 9, SubsidyRef: "s1"},
			items:  map[ItemKey]ItemStatus{Justificatifs: ItemRecu},
			status: DossierIncomplet,
		},
		{
			name:   "book closed",
			start:  fresh(),
			ev:     StepCompleted{Stamp: mand, Item: Cloture},
			items:  map[ItemKey]ItemStatus{Cloture: ItemRecu, CRF: ItemManquant},
			status: DossierIncomplet,
		},
		{
			name:   "subsidies validated: their proofs are now expected",
			start:  fresh(),
			ev:     StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}},
			items:  map[ItemKey]ItemStatus{Subventions: ItemRecu, Justificatifs: ItemManquant},
			status: DossierIncomplet,
			check: func(t *testing.T, d Dossier) {
				if !reflect.DeepEqual(d.Subsidies, []Subsidy{subA, subB}) {
					t.Errorf("subsidies = %+v", d.Subsidies)
				}
			},
		},
		{
			name:   "subsidies validated again with a new row: accepted proofs go back to missing",
			start:  build(t, complete2, ItemAccepted{Stamp: staff, Item: Justificatifs}),
			ev:     StepCompleted{Stamp: later, Item: Subventions, Subsidies: []Subsidy{subA, subB, {Ref: "s3", Label: "Région"}}},
			items:  map[ItemKey]ItemStatus{Subventions: ItemRecu, Justificatifs: ItemManquant},
			status: DossierIncomplet,
		},
		{
			name:   "empty subsidy table: no proof required",
			start:  build(t, fresh(), completeEvents()[:3]...),
			ev:     StepCompleted{Stamp: mand, Item: Subventions},
			items:  map[ItemKey]ItemStatus{Subventions: ItemRecu},
			status: DossierIncomplet,
			check: func(t *testing.T, d Dossier) {
				if d.Required(Justificatifs) {
					t.Error("justificatifs required with an empty subsidy table")
				}
				if got := d.Missing(); !reflect.DeepEqual(got, []ItemKey{Quitus, Releve}) {
					t.Errorf("missing = %v", got)
				}
			},
		},
		{
			name:   "step done again on an accepted item goes back to review",
			start:  build(t, complete0, ItemAccepted{Stamp: staff, Item: CRA}),
			ev:     StepCompleted{Stamp: later, Item: CRA},
			items:  map[ItemKey]ItemStatus{CRA: ItemRecu},
			status: DossierTransmis,
		},
		{
			name:    "book closed again answers its correction, the CRF is still to validate",
			start:   clotureToFix,
			ev:      StepCompleted{Stamp: later, Item: Cloture},
			items:   map[ItemKey]ItemStatus{Cloture: ItemRecu, CRF: ItemManquant, Subventions: ItemManquant},
			status:  DossierIncomplet,
			effects: []Effect{NotifyStaff{Kind: NoticeCorrectionAnswered, Item: Cloture, CorrectionID: 1}},
		},
		{
			name:    "CRF and subsidies validated again after the book's correction",
			start:   build(t, clotureToFix, StepCompleted{Stamp: later, Item: Cloture}, StepCompleted{Stamp: later, Item: CRF}),
			ev:      StepCompleted{Stamp: later, Item: Subventions},
			items:   map[ItemKey]ItemStatus{Cloture: ItemRecu, CRF: ItemRecu, Subventions: ItemRecu},
			status:  DossierTransmis,
			effects: []Effect{NotifyStaff{Kind: NoticeDossierTransmitted}},
		},
		{
			name:   "staff accepts a received item",
			start:  complete0,
			ev:     ItemAccepted{Stamp: staff, Item: Quitus},
			items:  map[ItemKey]ItemStatus{Quitus: ItemAccepte, Releve: ItemRecu},
			status: DossierTransmis,
		},
		{
			name:    "correction of a document item",
			start:   complete0,
			ev:      CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "  Signature du parent manquante "},
			items:   map[ItemKey]ItemStatus{Quitus: ItemACorriger},
			status:  DossierACorriger,
			effects: []Effect{NotifyMandataire{Kind: NoticeCorrectionRequested, Item: Quitus, CorrectionID: 1, Reason: "Signature du parent manquante"}},
			check: func(t *testing.T, d Dossier) {
				want := []Correction{{ID: 1, Item: Quitus, Reason: "Signature du parent manquante", CreatedAt: staff.At, CreatedBy: staff.By}}
				if !reflect.DeepEqual(d.Corrections, want) {
					t.Errorf("corrections = %+v, want %+v", d.Corrections, want)
				}
			},
		},
		{
			name:   "correction of the closing reopens the book",
			start:  complete0,
			ev:     CorrectionRequested{Stamp: staff, Item: Cloture, Reason: "Écart de caisse"},
			items:  map[ItemKey]ItemStatus{Cloture: ItemACorriger, CRF: ItemManquant, Subventions: ItemManquant, CRA: ItemRecu},
			status: DossierACorriger,
			effects: []Effect{
				ReopenBook{Reason: "Écart de caisse"},
				NotifyMandataire{Kind: NoticeCorrectionRequested, Item: Cloture, CorrectionID: 1, Reason: "Écart de caisse"},
			},
		},
		{
			name:   "correction of the CRF reopens it",
			start:  build(t, complete0, ItemAccepted{Stamp: staff, Item: CRF}),
			ev:     CorrectionRequested{Stamp: staff, Item: CRF, Reason: "Report à nouveau faux"},
			items:  map[ItemKey]ItemStatus{CRF: ItemACorriger},
			status: DossierACorriger,
			effects: []Effect{
				ReopenStep{Item: CRF, Reason: "Report à nouveau faux"},
				NotifyMandataire{Kind: NoticeCorrectionRequested, Item: CRF, CorrectionID: 1, Reason: "Report à nouveau faux"},
			},
		},
		{
			name:    "text answer to a correction",
			start:   quitusToFix,
			ev:      CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Le parent a signé au verso."},
			items:   map[ItemKey]ItemStatus{Quitus: ItemRecu},
			status:  DossierTransmis,
			effects: []Effect{NotifyStaff{Kind: NoticeCorrectionAnswered, Item: Quitus, CorrectionID: 1}, NotifyStaff{Kind: NoticeDossierTransmitted}},
			check: func(t *testing.T, d Dossier) {
				if c := d.Corrections[0]; c.Open() || c.Answer != "Le parent a signé au verso." {
					t.Errorf("correction = %+v", c)
				}
			},
		},
		{
			name:    "text answer on proofs that still lack one leaves them missing",
			start:   build(t, proofToFix, StepCompleted{Stamp: later, Item: Subventions, Subsidies: []Subsidy{subA, subB, {Ref: "s3"}}}),
			ev:      CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Voici la lettre de la mairie."},
			items:   map[ItemKey]ItemStatus{Justificatifs: ItemManquant},
			status:  DossierIncomplet,
			effects: []Effect{NotifyStaff{Kind: NoticeCorrectionAnswered, Item: Justificatifs, CorrectionID: 1}},
		},
		{
			name:   "waiving one proof of two",
			start:  subsNoProof,
			ev:     ProofWaived{Stamp: staff, SubsidyRef: "s1", Reason: "Versement vérifié sur le relevé"},
			items:  map[ItemKey]ItemStatus{Justificatifs: ItemManquant},
			status: DossierIncomplet,
			check: func(t *testing.T, d Dossier) {
				want := []Waiver{{Ref: "s1", Reason: "Versement vérifié sur le relevé", At: staff.At, By: staff.By}}
				if !reflect.DeepEqual(d.Waivers, want) {
					t.Errorf("waivers = %+v", d.Waivers)
				}
			},
		},
		{
			name:   "waiving the last proof completes the item",
			start:  build(t, subsNoProof, DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 9}),
			ev:     ProofWaived{Stamp: staff, SubsidyRef: "s2"},
			items:  map[ItemKey]ItemStatus{Justificatifs: ItemRecu},
			status: DossierIncomplet,
		},
		{
			name:    "validation accepts every received item and locks the CRF",
			start:   build(t, complete2, ItemAccepted{Stamp: staff, Item: Quitus}),
			ev:      DossierValidated{Stamp: staff},
			items:   map[ItemKey]ItemStatus{Cloture: ItemAccepte, CRA: ItemAccepte, CRF: ItemAccepte, Subventions: ItemAccepte, Quitus: ItemAccepte, Releve: ItemAccepte, Justificatifs: ItemAccepte},
			status:  DossierValide,
			effects: []Effect{LockCRF{}, NotifyMandataire{Kind: NoticeDossierValidated}},
		},
		{
			name:   "reopening with items asks for their correction",
			start:  validated,
			ev:     DossierReopened{Stamp: staff, Reason: "Erreur sur le relevé", Items: []ItemKey{Cloture, Releve}},
			items:  map[ItemKey]ItemStatus{Cloture: ItemACorriger, Releve: ItemACorriger, Quitus: ItemAccepte, CRF: ItemManquant, Subventions: ItemManquant},
			status: DossierACorriger,
			effects: []Effect{
				UnlockCRF{},
				ReopenBook{Reason: "Erreur sur le relevé"},
				NotifyMandataire{Kind: NoticeDossierReopened, Reason: "Erreur sur le relevé"},
			},
			check: func(t *testing.T, d Dossier) {
				open := d.OpenCorrections()
				if len(open) != 2 || open[0].Item != Cloture || open[1].Item != Releve || open[1].ID != 2 || open[1].Reason != "Erreur sur le relevé" {
					t.Errorf("open corrections = %+v", open)
				}
			},
		},
		{
			name:    "reopening without items puts the dossier back to review",
			start:   validated,
			ev:      DossierReopened{Stamp: staff, Reason: "Contrôle du commissaire aux comptes"},
			items:   map[ItemKey]ItemStatus{Quitus: ItemAccepte},
			status:  DossierTransmis,
			effects: []Effect{UnlockCRF{}, NotifyMandataire{Kind: NoticeDossierReopened, Reason: "Contrôle du commissaire aux comptes"}},
		},
		{
			name:   "event passed by pointer",
			start:  fresh(),
			ev:     &StepCompleted{Stamp: mand, Item: CRA},
			items:  map[ItemKey]ItemStatus{CRA: ItemRecu},
			status: DossierIncomplet,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(t, c.start)
			got, effects, err := Apply(c.start, c.ev)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if after := snapshot(t, c.start); after != before {
				t.Errorf("Apply modified its input:\nbefore %s\nafter  %s", before, after)
			}
			for k, want := range c.items {
				if s := statusOf(t, got, k); s != want {
					t.Errorf("item %s = %s, want %s", k, s, want)
				}
			}
			if s := got.Status(); s != c.status {
				t.Errorf("status = %s, want %s", s, c.status)
			}
			if !reflect.DeepEqual(effects, c.effects) {
				t.Errorf("effects = %#v\nwant      %#v", effects, c.effects)
			}
			if c.check != nil {
				c.check(t, got)
			}
		})
	}
}

func TestApplyRefused(t *testing.T) {
	complete0 := build(t, fresh(), completeEvents()...)
	complete2 := build(t, fresh(), completeEvents(subA, subB)...)
	quitusToFix := build(t, complete0, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "Illisible"})
	clotureToFix := build(t, complete0, CorrectionRequested{Stamp: staff, Item: Cloture, Reason: "Écart"})
	answered := build(t, quitusToFix, CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Refait"})
	validated := build(t, complete0, DossierValidated{Stamp: staff})
	subsNoProof := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}})

	cases := []struct {
		name   string
		start  Dossier
		ev     Event
		from   string
		reason string
	}{
		{"unknown item", fresh(), DocumentReceived{Stamp: mail, Item: "bulletin", Source: SourceMail, DocumentID: 1}, "incomplet", "« bulletin » n'existe pas"},
		{"closing for a coop without book", NewDossier(1, 7, false), StepCompleted{Stamp: mand, Item: Cloture}, "incomplet", "n'est pas demandé à cette coopérative"},
		{"document for a step item", fresh(), DocumentReceived{Stamp: mail, Item: CRF, Source: SourceMail, DocumentID: 1}, "manquant", "se fait dans l'application"},
		{"same document twice", complete0, DocumentReceived{Stamp: mail, Item: Releve, Source: SourceMail, DocumentID: 1}, "recu", "document n°1 est déjà rattaché"},
		{"subsidy reference on the quitus", fresh(), DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 1, SubsidyRef: "s1"}, "manquant", "seuls les justificatifs"},
		{"proof of an unlisted subsidy", subsNoProof, DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 1, SubsidyRef: "s9"}, "manquant", "« s9 » ne figure pas"},
		{"step for a document item", fresh(), StepCompleted{Stamp: mand, Item: Quitus}, "manquant", "s'obtient par l'envoi d'un document"},
		{"step on a validated dossier", validated, StepCompleted{Stamp: mand, Item: CRA}, "valide", "l'AD doit d'abord le rouvrir"},
		{"accept a missing item", fresh(), ItemAccepted{Stamp: staff, Item: Quitus}, "manquant", "n'a pas encore été reçu"},
		{"accept twice", build(t, complete0, ItemAccepted{Stamp: staff, Item: Quitus}), ItemAccepted{Stamp: staff, Item: Quitus}, "accepte", "est déjà accepté"},
		{"accept an item under correction", quitusToFix, ItemAccepted{Stamp: staff, Item: Quitus}, "a_corriger", "attend la réponse"},
		{"accept proofs not required", build(t, complete0), ItemAccepted{Stamp: staff, Item: Justificatifs}, "manquant", "tableau des subventions est vide"},
		{"accept on a validated dossier", validated, ItemAccepted{Stamp: staff, Item: Quitus}, "valide", "l'AD doit d'abord le rouvrir"},
		{"correction without reason", complete0, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "  "}, "recu", "motif de la correction est obligatoire"},
		{"correction of a missing item", fresh(), CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"}, "manquant", "rien à corriger"},
		{"second correction of an item", quitusToFix, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"}, "a_corriger", "attend déjà la réponse"},
		{"correction on a validated dossier", validated, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"}, "valide", "l'AD doit d'abord le rouvrir"},
		{"answer to an unknown correction", quitusToFix, CorrectionAnswered{Stamp: later, CorrectionID: 9, Answer: "x"}, "a_corriger", "n°9 n'existe pas"},
		{"answer twice", answered, CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "encore"}, "recu", "a déjà reçu une réponse"},
		{"empty answer", quitusToFix, CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: " "}, "a_corriger", "la réponse est vide"},
		{"text answer for a step", clotureToFix, CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Tout est juste"}, "a_corriger", "en refaisant l'étape"},
		{"waiver before the subsidies are known", fresh(), ProofWaived{Stamp: staff, SubsidyRef: "s1"}, "manquant", "pas encore été validé"},
		{"waiver of an unlisted subsidy", subsNoProof, ProofWaived{Stamp: staff, SubsidyRef: "s9"}, "manquant", "« s9 » ne figure pas"},
		{"waiver twice", build(t, subsNoProof, ProofWaived{Stamp: staff, SubsidyRef: "s1"}), ProofWaived{Stamp: staff, SubsidyRef: "s1"}, "manquant", "n'est déjà plus demandé"},
		{"waiver of a proved subsidy", complete2, ProofWaived{Stamp: staff, SubsidyRef: "s2"}, "recu", "a déjà été reçu"},
		{"validate an incomplete dossier", build(t, fresh(), completeEvents()[:5]...), DossierValidated{Stamp: staff}, "incomplet", "il manque encore : Relevé bancaire au 31 août"},
		{"validate with a correction pending", quitusToFix, DossierValidated{Stamp: staff}, "a_corriger", "des corrections attendent"},
		{"validate twice", validated, DossierValidated{Stamp: staff}, "valide", "déjà validé"},
		{"reopen a dossier not validated", complete0, DossierReopened{Stamp: staff, Reason: "x"}, "transmis", "n'est pas validé"},
		{"reopen without reason", validated, DossierReopened{Stamp: staff}, "valide", "motif de la réouverture est obligatoire"},
		{"reopen citing an item twice", validated, DossierReopened{Stamp: staff, Reason: "x", Items: []ItemKey{Quitus, Quitus}}, "valide", "cité deux fois"},
		{"reopen citing an unknown item", validated, DossierReopened{Stamp: staff, Reason: "x", Items: []ItemKey{"bulletin"}}, "valide", "n'existe pas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, effects, err := Apply(c.start, c.ev)
			var te *TransitionError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TransitionError", err)
			}
			if te.Event != c.ev.Kind() || te.From != c.from || !strings.Contains(te.Reason, c.reason) {
				t.Errorf("error = %+v, want event %s from %s with %q", te, c.ev.Kind(), c.from, c.reason)
			}
			if !strings.HasPrefix(err.Error(), c.ev.Kind().Label()+" est impossible : ") {
				t.Errorf("message %q lacks its French prefix", err.Error())
			}
			if effects != nil || snapshot(t, got) != snapshot(t, c.start) {
				t.Errorf("refused event changed something: effects %v", effects)
			}
		})
	}
}

func TestApplyMalformed(t *testing.T) {
	cases := []struct {
		name string
		ev   Event
	}{
		{"nil", nil},
		{"nil pointer", (*ItemAccepted)(nil)},
		{"no date", DocumentReceived{Stamp: Stamp{By: "x"}, Item: Quitus, Source: SourceMail, DocumentID: 1}},
		{"no author", DocumentReceived{Stamp: Stamp{At: mail.At}, Item: Quitus, Source: SourceMail, DocumentID: 1}},
		{"unknown source", DocumentReceived{Stamp: mail, Item: Quitus, Source: "fax", DocumentID: 1}},
		{"no document id", DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail}},
		{"subsidies on another step", StepCompleted{Stamp: mand, Item: CRF, Subsidies: []Subsidy{subA}}},
		{"subsidy without reference", StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{{Label: "Mairie"}}}},
		{"subsidy listed twice", StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subA}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Apply(fresh(), c.ev)
			var te *TransitionError
			if !errors.Is(err, ErrMalformedEvent) || errors.As(err, &te) {
				t.Errorf("err = %v, want ErrMalformedEvent only", err)
			}
		})
	}
}

// TestJourney follows a whole campaign through the public API, as the app
// would: each step's state is the next one's input.
func TestJourney(t *testing.T) {
	d := NewDossier(3, 7, false)
	steps := []struct {
		ev     Event
		status DossierStatus
		score  int
	}{
		{StepCompleted{Stamp: mand, Item: CRA}, DossierIncomplet, 16},
		{StepCompleted{Stamp: mand, Item: CRF}, DossierIncomplet, 33},
		{StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA}}, DossierIncomplet, 50},
		{DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 1}, DossierIncomplet, 66},
		{DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourcePoste, DocumentID: 2}, DossierIncomplet, 83},
		{DocumentReceived{Stamp: mail, Item: Releve, Source: SourceMail, DocumentID: 3}, DossierTransmis, 100},
		{CorrectionRequested{Stamp: staff, Item: Releve, Reason: "Le relevé s'arrête au 15 août"}, DossierACorriger, 83},
		{DocumentReceived{Stamp: later, Item: Releve, Source: SourceWeb, DocumentID: 4}, DossierTransmis, 100},
		{DossierValidated{Stamp: staff}, DossierValide, 100},
	}
	for i, s := range steps {
		var err error
		d, _, err = Apply(d, s.ev)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if d.Status() != s.status || d.Score() != s.score {
			t.Errorf("step %d (%s): status %s score %d, want %s %d", i, s.ev.Kind(), d.Status(), d.Score(), s.status, s.score)
		}
	}
	if _, ok := d.Item(Cloture); ok {
		t.Error("a coop entering its CRF directly has a closing item")
	}
}

// TestStateJSONRoundTrip checks that a dossier stored as JSON and read back
// behaves the same.
func TestStateJSONRoundTrip(t *testing.T) {
	d := build(t, fresh(), completeEvents(subA, subB)...)
	d = build(t, d, CorrectionRequested{Stamp: staff, Item: Justificatifs, Reason: "Illisible"},
		CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Voici"},
		DocumentReceived{Stamp: later, Item: Quitus, Source: SourcePoste, DocumentID: 30})
	raw := snapshot(t, d)
	var back Dossier
	if err := json.Unmarshal([]byte(raw), &back); err != nil {
		t.Fatal(err)
	}
	if snapshot(t, back) != raw {
		t.Errorf("round trip changed the state:\n%s\n%s", raw, snapshot(t, back))
	}
	if back.Status() != d.Status() || !reflect.DeepEqual(back.Proofs(), d.Proofs()) {
		t.Errorf("read back: status %s, proofs %+v", back.Status(), back.Proofs())
	}
	for _, key := range []string{`"cle":"justificatifs_subventions"`, `"statut":"recu"`, `"reponse":"Voici"`, `"source":"poste"`} {
		if !strings.Contains(raw, key) {
			t.Errorf("stored JSON lacks %s: %s", key, raw)
		}
	}
}

func snapshot(t *testing.T, d Dossier) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
