package workflow

import "time"

// Correction is the staff's request to correct one item, with the
// mandataire's answer once it comes. It is not a refusal: the item goes
// back to ItemRecu when answered.
type Correction struct {
	// ID numbers the corrections of one dossier from 1.
	ID        int64     `json:"id"`
	Item      ItemKey   `json:"cle"`
	Reason    string    `json:"motif"`
	CreatedAt time.Time `json:"demandee_le"`
	CreatedBy string    `json:"demandee_par"`
	// ResolvedAt is nil while the correction waits for an answer.
	ResolvedAt *time.Time `json:"resolue_le,omitempty"`
	// Answer is the mandataire's text answer, if any.
	Answer string `json:"reponse,omitempty"`
	// DocumentID is the document sent in answer, if any.
	DocumentID int64 `json:"document_id,omitempty"`
}

// Open reports whether the correction still waits for an answer.
func (c Correction) Open() bool { return c.ResolvedAt == nil }

// openCorrection records a new correction on an item and returns its ID.
func (d *Dossier) openCorrection(key ItemKey, reason string, s Stamp) int64 {
	var id int64
	for _, c := range d.Corrections {
		id = max(id, c.ID)
	}
	id++
	d.Corrections = append(d.Corrections, Correction{
		ID: id, Item: key, Reason: reason, CreatedAt: s.At, CreatedBy: s.By,
	})
	return id
}

// resolveOpen closes the open correction of an item, if any, and returns
// its ID (0 when there was none).
func (d *Dossier) resolveOpen(key ItemKey, at time.Time, answer string, documentID int64) int64 {
	for i := range d.Corrections {
		c := &d.Corrections[i]
		if c.Item == key && c.Open() {
			c.ResolvedAt = &at
			c.Answer = answer
			c.DocumentID = documentID
			return c.ID
		}
	}
	return 0
}
