package workflow

import (
	"testing"
)

func TestDescribe(t *testing.T) {
	subs := build(t, fresh(), StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}})
	toFix := build(t, build(t, fresh(), completeEvents()...), CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "Illisible"})
	cases := []struct {
		name  string
		state Dossier
		ev    Event
		want  HistoryEntry
	}{
		{
			"document", subs,
			DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 12, SubsidyRef: "s1"},
			HistoryEntry{At: mail.At, By: mail.By, Kind: KindDocumentReceived, Item: Justificatifs, DocumentID: 12,
				What: "Document n°12 reçu par courriel : Justificatifs des subventions (subvention « Mairie — 500,00 € »)"},
		},
		{
			"subsidies", fresh(),
			StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}},
			HistoryEntry{At: mand.At, By: mand.By, Kind: KindStepCompleted, Item: Subventions, What: "Étape terminée : Tableau des subventions validé (2 subventions)"},
		},
		{
			"accepted", fresh(), ItemAccepted{Stamp: staff, Item: Quitus},
			HistoryEntry{At: staff.At, By: staff.By, Kind: KindItemAccepted, Item: Quitus, What: "Élément accepté : Quitus de la commission de contrôle des comptes"},
		},
		{
			"correction", fresh(), CorrectionRequested{Stamp: staff, Item: Releve, Reason: " Relevé au 15 août "},
			HistoryEntry{At: staff.At, By: staff.By, Kind: KindCorrectionRequested, Item: Releve, What: "Correction demandée : Relevé bancaire au 31 août", Why: "Relevé au 15 août"},
		},
		{
			"answer names the item from the state", toFix, CorrectionAnswered{Stamp: later, CorrectionID: 1, Answer: "Rescanné"},
			HistoryEntry{At: later.At, By: later.By, Kind: KindCorrectionAnswered, Item: Quitus,
				What: "Réponse à la demande de correction n°1 : Quitus de la commission de contrôle des comptes", Why: "Rescanné"},
		},
		{
			"waiver", subs, ProofWaived{Stamp: staff, SubsidyRef: "s2", Reason: "Vu sur le relevé"},
			HistoryEntry{At: staff.At, By: staff.By, Kind: KindProofWaived, Item: Justificatifs,
				What: "Justificatif non exigé pour la subvention « Département — 120,00 € »", Why: "Vu sur le relevé"},
		},
		{
			"validated", fresh(), &DossierValidated{Stamp: staff},
			HistoryEntry{At: staff.At, By: staff.By, Kind: KindDossierValidated, What: "Dossier validé"},
		},
		{
			"reopened", fresh(), DossierReopened{Stamp: staff, Reason: "Erreur", Items: []ItemKey{CRF, Quitus}},
			HistoryEntry{At: staff.At, By: staff.By, Kind: KindDossierReopened,
				What: "Dossier rouvert ; corrections demandées : Compte-rendu financier validé, Quitus de la commission de contrôle des comptes", Why: "Erreur"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Describe(c.state, c.ev); got != c.want {
				t.Errorf("Describe =\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}
