package workflow

import "slices"

// Dossier is one coop's submission for one campaign: the items asked for,
// the subsidies whose proofs are expected, the staff's waivers and
// corrections, and whether the staff validated it. Its status is derived
// (see Status), never stored. Apply is the only way it changes.
type Dossier struct {
	CoopID     int64 `json:"coop_id"`
	CampaignID int64 `json:"campagne_id"`
	// Items holds the items that apply to this coop, in checklist order.
	Items []Item `json:"elements"`
	// Subsidies is the coop's validated tableau des subventions, as of the
	// last completion of the Subventions step.
	Subsidies   []Subsidy    `json:"subventions,omitempty"`
	Waivers     []Waiver     `json:"dispenses,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	Validated   bool         `json:"valide"`
}

// NewDossier opens an empty dossier. keepsBook tells whether the coop keeps
// its book in the app: only those coops have a Cloture item, the others
// enter their CRF directly.
func NewDossier(coopID, campaignID int64, keepsBook bool) Dossier {
	d := Dossier{CoopID: coopID, CampaignID: campaignID}
	for _, k := range ItemKeys() {
		if k == Cloture && !keepsBook {
			continue
		}
		d.Items = append(d.Items, Item{Key: k, Status: ItemManquant})
	}
	return d
}

// Item returns the item with that key, and false when the item does not
// apply to this coop.
func (d Dossier) Item(key ItemKey) (Item, bool) {
	if i := d.index(key); i >= 0 {
		return d.Items[i], true
	}
	return Item{}, false
}

// Required reports whether the item must be received before the dossier is
// complete. Every item of the dossier is, except the subsidy proofs once the
// validated tableau des subventions turns out to be empty: with no subsidy
// there is nothing to prove, so the item is left out of the checklist, the
// score and the reminders rather than shown as accepted.
func (d Dossier) Required(key ItemKey) bool {
	if d.index(key) < 0 {
		return false
	}
	if key == Justificatifs {
		return !d.subsidiesKnown() || len(d.Subsidies) > 0
	}
	return true
}

// Checklist returns the required items in checklist order: what the
// mandataire and the staff see.
func (d Dossier) Checklist() []Item {
	var out []Item
	for _, it := range d.Items {
		if d.Required(it.Key) {
			out = append(out, it)
		}
	}
	return out
}

// Missing returns the keys of the required items not received yet, in
// checklist order. Items waiting for a correction are not missing: see
// OpenCorrections.
func (d Dossier) Missing() []ItemKey {
	var out []ItemKey
	for _, it := range d.Checklist() {
		if it.Status == ItemManquant {
			out = append(out, it.Key)
		}
	}
	return out
}

// Score is the completeness of the dossier from 0 to 100: the share of
// required items received or accepted, rounded down so that 100 means
// complete. A validated dossier scores 100.
func (d Dossier) Score() int {
	if d.Validated {
		return 100
	}
	list := d.Checklist()
	if len(list) == 0 {
		return 100
	}
	done := 0
	for _, it := range list {
		if it.Status == ItemRecu || it.Status == ItemAccepte {
			done++
		}
	}
	return done * 100 / len(list)
}

// OpenCorrections returns the corrections still waiting for the
// mandataire's answer, oldest first.
func (d Dossier) OpenCorrections() []Correction {
	var out []Correction
	for _, c := range d.Corrections {
		if c.Open() {
			out = append(out, c)
		}
	}
	return out
}

func (d Dossier) index(key ItemKey) int {
	return slices.IndexFunc(d.Items, func(it Item) bool { return it.Key == key })
}

// hasDocument reports whether a document is already attached anywhere in
// the dossier.
func (d Dossier) hasDocument(id int64) bool {
	for _, it := range d.Items {
		for _, doc := range it.Documents {
			if doc.ID == id {
				return true
			}
		}
	}
	return false
}

// clone copies every slice so that Apply never writes into its caller's
// state.
func (d Dossier) clone() Dossier {
	c := d
	c.Items = slices.Clone(d.Items)
	for i := range c.Items {
		c.Items[i].Documents = slices.Clone(c.Items[i].Documents)
	}
	c.Subsidies = slices.Clone(d.Subsidies)
	c.Waivers = slices.Clone(d.Waivers)
	c.Corrections = slices.Clone(d.Corrections)
	return c
}
