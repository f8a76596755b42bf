package workflow

import (
	"slices"
	"time"
)

// Subsidy is one row of the coop's validated tableau des subventions, as far
// as the submission cares: a stable reference chosen by the app (e.g. the
// row's id) and a label for people ("Mairie — 12/11/2025 — 500,00 €").
type Subsidy struct {
	Ref   string `json:"ref"`
	Label string `json:"libelle"`
}

// Waiver records that the staff no longer expect a proof for one subsidy.
// Waivers are kept by reference, so they survive a new validation of the
// tableau des subventions that keeps the same row.
type Waiver struct {
	Ref    string    `json:"ref"`
	Reason string    `json:"motif,omitempty"`
	At     time.Time `json:"le"`
	By     string    `json:"par"`
}

// SubsidyProof tells, for one subsidy, which documents prove it and whether
// the staff waived its proof.
type SubsidyProof struct {
	Subsidy     Subsidy `json:"subvention"`
	DocumentIDs []int64 `json:"documents,omitempty"`
	Waived      bool    `json:"dispense"`
}

// Proved reports whether the subsidy needs nothing more.
func (p SubsidyProof) Proved() bool { return p.Waived || len(p.DocumentIDs) > 0 }

// Proofs matches the justificatifs received against the subsidies listed.
// A proof naming its subsidy goes to it. A proof that names none (a letter
// sent by mail or post, where nobody said which subsidy it proves) goes to
// the first subsidy, in table order, still without a proof or a waiver: one
// letter per subsidy thus completes the item, and the staff, who see the
// assignment, ask for a correction when a letter proves something else.
func (d Dossier) Proofs() []SubsidyProof {
	out := make([]SubsidyProof, len(d.Subsidies))
	byRef := map[string]int{}
	for i, s := range d.Subsidies {
		out[i] = SubsidyProof{Subsidy: s, Waived: d.waived(s.Ref)}
		byRef[s.Ref] = i
	}
	it, _ := d.Item(Justificatifs)
	var loose []int64
	for _, doc := range it.Documents {
		if i, ok := byRef[doc.SubsidyRef]; ok && doc.SubsidyRef != "" {
			out[i].DocumentIDs = append(out[i].DocumentIDs, doc.ID)
		} else {
			loose = append(loose, doc.ID)
		}
	}
	for i := range out {
		if len(loose) == 0 {
			break
		}
		if !out[i].Proved() {
			out[i].DocumentIDs = []int64{loose[0]}
			loose = loose[1:]
		}
	}
	return out
}

// subsidiesKnown reports whether the mandataire has validated the tableau
// des subventions, so that the expected proofs are known.
func (d Dossier) subsidiesKnown() bool {
	it, ok := d.Item(Subventions)
	return ok && it.Status != ItemManquant
}

// proofsComplete reports whether the justificatifs item has everything it
// needs. Before the subsidies are known, any proof counts as a start; the
// item is judged again when the list arrives.
func (d Dossier) proofsComplete() bool {
	if !d.subsidiesKnown() {
		it, _ := d.Item(Justificatifs)
		return len(it.Documents) > 0
	}
	for _, p := range d.Proofs() {
		if !p.Proved() {
			return false
		}
	}
	return true
}

func (d Dossier) subsidy(ref string) (Subsidy, bool) {
	i := slices.IndexFunc(d.Subsidies, func(s Subsidy) bool { return s.Ref == ref })
	if i < 0 {
		return Subsidy{}, false
	}
	return d.Subsidies[i], true
}

func (d Dossier) waived(ref string) bool {
	return slices.ContainsFunc(d.Waivers, func(w Waiver) bool { return w.Ref == ref })
}

// explicitlyProved reports whether a document names this subsidy.
func (d Dossier) explicitlyProved(ref string) bool {
	it, _ := d.Item(Justificatifs)
	return slices.ContainsFunc(it.Documents, func(doc Document) bool { return doc.SubsidyRef == ref })
}

// settle brings the justificatifs item in line with its proofs after any
// event: complete proofs make a missing item received, a new subsidy
// without proof makes a received or accepted item missing again. An item
// waiting for a correction keeps that status until the answer.
func (d *Dossier) settle() {
	i := d.index(Justificatifs)
	if i < 0 || !d.Required(Justificatifs) {
		return
	}
	it := &d.Items[i]
	complete := d.proofsComplete()
	switch it.Status {
	case ItemManquant:
		if complete {
			it.Status = ItemRecu
		}
	case ItemRecu, ItemAccepte:
		if !complete {
			it.Status = ItemManquant
		}
	}
}
