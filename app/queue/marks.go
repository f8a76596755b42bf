package queue

import "retkoop/workflow"

// Mark is one item of a dossier's checklist shown compactly in a queue
// row: a short name, a symbol and the full wording for screen readers and
// tooltips. The symbol is never the only carrier of meaning: the class and
// the text say it too.
type Mark struct {
	Key    workflow.ItemKey
	Short  string // "Qui" for the quitus
	Symbol string // ✓ accepted, ● received, ✗ to correct, ○ missing, – not asked
	Class  string // mark-accepte, mark-recu, mark-a_corriger, mark-manquant, mark-na
	Title  string // "Quitus… : reçu, à examiner"
}

var shortNames = map[workflow.ItemKey]string{
	workflow.Cloture:       "Clô",
	workflow.CRA:           "CRA",
	workflow.CRF:           "CRF",
	workflow.Subventions:   "Sub",
	workflow.Quitus:        "Qui",
	workflow.Releve:        "Rel",
	workflow.Justificatifs: "Jus",
}

// Marks returns one mark per item key, in checklist order, so that the
// queue's columns line up: an item that does not apply to the coop (no
// closing for a CRF entered directly, no proof without subsidies) is "–".
func Marks(d workflow.Dossier) []Mark {
	out := make([]Mark, 0, len(workflow.ItemKeys()))
	for _, k := range workflow.ItemKeys() {
		m := Mark{Key: k, Short: shortNames[k]}
		it, ok := d.Item(k)
		switch {
		case !ok || !d.Required(k):
			m.Symbol, m.Class, m.Title = "–", "mark-na", k.Label()+" : non demandé"
		case it.Status == workflow.ItemAccepte || (d.Validated && it.Status != workflow.ItemManquant):
			m.Symbol, m.Class, m.Title = "✓", "mark-accepte", k.Label()+" : accepté"
		case it.Status == workflow.ItemRecu:
			m.Symbol, m.Class, m.Title = "●", "mark-recu", k.Label()+" : reçu, à examiner"
		case it.Status == workflow.ItemACorriger:
			m.Symbol, m.Class, m.Title = "✗", "mark-a_corriger", k.Label()+" : à corriger"
		default:
			m.Symbol, m.Class, m.Title = "○", "mark-manquant", k.Label()+" : manquant"
		}
		out = append(out, m)
	}
	return out
}

// Legend is the key of the marks, shown under the queue.
func Legend() []Mark {
	return []Mark{
		{Symbol: "✓", Class: "mark-accepte", Title: "accepté"},
		{Symbol: "●", Class: "mark-recu", Title: "reçu, à examiner"},
		{Symbol: "✗", Class: "mark-a_corriger", Title: "à corriger"},
		{Symbol: "○", Class: "mark-manquant", Title: "manquant"},
		{Symbol: "–", Class: "mark-na", Title: "non demandé"},
	}
}

// ShortNames returns the column headings of the marks, in checklist order.
func ShortNames() []Mark {
	out := make([]Mark, 0, len(workflow.ItemKeys()))
	for _, k := range workflow.ItemKeys() {
		out = append(out, Mark{Key: k, Short: shortNames[k], Title: k.Label()})
	}
	return out
}
