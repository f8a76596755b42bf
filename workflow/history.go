package workflow

import (
	"fmt"
	"strings"
	"time"
)

// HistoryEntry is one line of a dossier's append-only history: who did
// what, when and why. The app stores one per applied event, in the same
// transaction as the new state.
type HistoryEntry struct {
	At   time.Time `json:"le"`
	By   string    `json:"par"`
	Kind EventKind `json:"action"`
	// Item is the item concerned, empty for events on the whole dossier.
	Item       ItemKey `json:"cle,omitempty"`
	DocumentID int64   `json:"document_id,omitempty"`
	// What is a French sentence for the history page.
	What string `json:"quoi"`
	// Why is the staff's reason or the mandataire's answer, if any.
	Why string `json:"motif,omitempty"`
}

// Describe builds the history entry of an event applied to state (the
// dossier as it was before the event, which names the item of a correction
// and the label of a subsidy).
func Describe(state Dossier, ev Event) HistoryEntry {
	ev = byValue(ev)
	if ev == nil {
		return HistoryEntry{}
	}
	s := ev.stamp()
	h := HistoryEntry{At: s.At, By: s.By, Kind: ev.Kind()}
	switch e := ev.(type) {
	case DocumentReceived:
		h.Item, h.DocumentID = e.Item, e.DocumentID
		h.What = fmt.Sprintf("Document n°%d reçu %s : %s", e.DocumentID, e.Source.Label(), e.Item.Label())
		if e.SubsidyRef != "" {
			h.What += fmt.Sprintf(" (subvention « %s »)", subsidyLabel(state, e.SubsidyRef))
		}
	case StepCompleted:
		h.Item = e.Item
		h.What = "Étape terminée : " + e.Item.Label()
		if e.Item == Subventions {
			h.What += fmt.Sprintf(" (%d subvention%s)", len(e.Subsidies), plural(len(e.Subsidies)))
		}
	case ItemAccepted:
		h.Item = e.Item
		h.What = "Élément accepté : " + e.Item.Label()
	case CorrectionRequested:
		h.Item, h.Why = e.Item, strings.TrimSpace(e.Reason)
		h.What = "Correction demandée : " + e.Item.Label()
	case CorrectionAnswered:
		h.Why = strings.TrimSpace(e.Answer)
		h.What = fmt.Sprintf("Réponse à la demande de correction n°%d", e.CorrectionID)
		for _, c := range state.Corrections {
			if c.ID == e.CorrectionID {
				h.Item = c.Item
				h.What += " : " + c.Item.Label()
			}
		}
	case ProofWaived:
		h.Item, h.Why = Justificatifs, strings.TrimSpace(e.Reason)
		h.What = fmt.Sprintf("Justificatif non exigé pour la subvention « %s »", subsidyLabel(state, e.SubsidyRef))
	case DossierValidated:
		h.What = "Dossier validé"
	case DossierReopened:
		h.Why = strings.TrimSpace(e.Reason)
		h.What = "Dossier rouvert"
		if len(e.Items) > 0 {
			h.What += " ; corrections demandées : " + labels(e.Items)
		}
	}
	return h
}

func subsidyLabel(d Dossier, ref string) string {
	if s, ok := d.subsidy(ref); ok && s.Label != "" {
		return s.Label
	}
	return ref
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
