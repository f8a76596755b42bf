package workflow

import (
	"fmt"
	"time"
)

// ItemKey identifies an item of the dossier. The values are the contract's
// `cle` and are stored as is.
type ItemKey string

// The items of a dossier, in checklist order.
const (
	Cloture       ItemKey = "cloture"
	CRA           ItemKey = "cra"
	CRF           ItemKey = "crf"
	Subventions   ItemKey = "subventions"
	Quitus        ItemKey = "quitus"
	Releve        ItemKey = "releve"
	Justificatifs ItemKey = "justificatifs_subventions"
)

// ItemKeys returns every item key in checklist order.
func ItemKeys() []ItemKey {
	return []ItemKey{Cloture, CRA, CRF, Subventions, Quitus, Releve, Justificatifs}
}

var itemLabels = map[ItemKey]string{
	Cloture:       "Clôture du cahier de comptabilité",
	CRA:           "Compte-rendu d'activité",
	CRF:           "Compte-rendu financier validé",
	Subventions:   "Tableau des subventions validé",
	Quitus:        "Quitus de la commission de contrôle des comptes",
	Releve:        "Relevé bancaire au 31 août",
	Justificatifs: "Justificatifs des subventions",
}

// Label returns the French label shown to users (the contract's `libelle`).
func (k ItemKey) Label() string {
	if l, ok := itemLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is one of the known item keys.
func (k ItemKey) Valid() bool {
	_, ok := itemLabels[k]
	return ok
}

// IsStep reports whether the item is completed by an action in the app (closing
// the book, submitting the CRA, validating the CRF or the subsidies) rather
// than by sending a document.
func (k ItemKey) IsStep() bool {
	switch k {
	case Cloture, CRA, CRF, Subventions:
		return true
	}
	return false
}

// ParseItemKey reads an item key as found in a form, a CLI flag or a QR code.
func ParseItemKey(s string) (ItemKey, error) {
	k := ItemKey(s)
	if !k.Valid() {
		return "", fmt.Errorf("élément « %s » inconnu", s)
	}
	return k, nil
}

// ItemStatus is the review status of one item (the contract's item `statut`).
type ItemStatus string

// The item statuses.
const (
	ItemManquant  ItemStatus = "manquant"
	ItemRecu      ItemStatus = "recu"
	ItemAccepte   ItemStatus = "accepte"
	ItemACorriger ItemStatus = "a_corriger"
)

// Label returns the French label of the status.
func (s ItemStatus) Label() string {
	switch s {
	case ItemManquant:
		return "Manquant"
	case ItemRecu:
		return "Reçu"
	case ItemAccepte:
		return "Accepté"
	case ItemACorriger:
		return "À corriger"
	}
	return string(s)
}

// Source says how a document reached the AD.
type Source string

// The document sources.
const (
	SourceWeb   Source = "web"
	SourceMail  Source = "mail"
	SourcePoste Source = "poste"
)

// Valid reports whether s is a known source.
func (s Source) Valid() bool {
	return s == SourceWeb || s == SourceMail || s == SourcePoste
}

// Label returns the French adverbial phrase used in the history
// ("par courriel").
func (s Source) Label() string {
	switch s {
	case SourceWeb:
		return "en ligne"
	case SourceMail:
		return "par courriel"
	case SourcePoste:
		return "par courrier"
	}
	return string(s)
}

// Item is one entry of the dossier's checklist with its stored status and
// the documents attached to it. Step items usually have no document.
type Item struct {
	Key       ItemKey    `json:"cle"`
	Status    ItemStatus `json:"statut"`
	Documents []Document `json:"documents,omitempty"`
}

// Document is a stored file attached to an item. The file itself (name,
// type, size, hash) lives in the app's document store under ID.
type Document struct {
	ID         int64     `json:"id"`
	Source     Source    `json:"source"`
	ReceivedAt time.Time `json:"recu_le"`
	// SubsidyRef names the subsidy a justificatif proves, when the sender
	// said so; empty for other items and for proofs of unknown subsidy.
	SubsidyRef string `json:"subvention,omitempty"`
}
