package workflow

import (
	"slices"
	"time"
)

// DueReminder tells whether a reminder should be sent now for a dossier,
// and under which rule. sent holds the names of the rules already sent for
// this dossier (the app keys reminders by coop, campaign and rule name).
//
// A reminder is due when the dossier is incomplete or has a correction
// pending, sending is allowed now (see SendingAllowed) and a rule's date has
// come: its date at 10:00 Paris time, or the first allowed moment after.
// Only the latest rule whose date has come counts, so a scheduler that was
// down for days sends one reminder, not one per missed rule, and nothing
// when that latest rule was already sent.
func DueReminder(d Dossier, c Campaign, sent map[string]bool, now time.Time) (Rule, bool) {
	if st := d.Status(); st != DossierIncomplet && st != DossierACorriger {
		return Rule{}, false
	}
	if c.Deadline.IsZero() || !SendingAllowed(now) {
		return Rule{}, false
	}
	p := now.In(paris)
	// Sending is allowed now, so a rule's date has come exactly when its
	// date at 10:00 is past: the first allowed moment after it is at the
	// latest now.
	last := dayNumber(p) - dayNumber(c.Deadline)
	if p.Hour() < ruleHour {
		last--
	}
	found, latest := false, 0
	for _, r := range c.Rules {
		if r.Offset > last {
			continue
		}
		o := r.Offset
		if r.Every > 0 {
			o += (last - r.Offset) / r.Every * r.Every
		}
		if !found || o > latest {
			found, latest = true, o
		}
	}
	rule := Rule{Offset: latest}
	if !found || sent[rule.Name()] {
		return Rule{}, false
	}
	return rule, true
}

// Occurrence is one date on which a campaign's rule fires.
type Occurrence struct {
	// Rule is the single date (Every is 0); its Name is the reminder's key.
	Rule Rule `json:"regle"`
	// At is when the reminder goes out: the date at 10:00 Paris time or the
	// first allowed moment after.
	At time.Time `json:"le"`
}

// Schedule lists the dates on which the campaign's rules fire up to until,
// in order, for the staff's preview of the reminders.
func Schedule(c Campaign, until time.Time) []Occurrence {
	if c.Deadline.IsZero() {
		return nil
	}
	y, m, day := c.Deadline.Date()
	at := func(offset int) time.Time { return time.Date(y, m, day+offset, ruleHour, 0, 0, 0, paris) }
	seen := map[int]bool{}
	var out []Occurrence
	for _, r := range c.Rules {
		for o := r.Offset; !at(o).After(until); o += r.Every {
			if !seen[o] {
				seen[o] = true
				out = append(out, Occurrence{Rule: Rule{Offset: o}, At: nextAllowed(at(o))})
			}
			if r.Every <= 0 {
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b Occurrence) int { return a.Rule.Offset - b.Rule.Offset })
	return out
}

// Reminder is what a reminder tells the mandataire: the items still
// missing and the corrections asked for. The app renders it as an e-mail.
type Reminder struct {
	Missing     []MissingItem    `json:"manquants"`
	Corrections []OpenCorrection `json:"corrections"`
}

// MissingItem is a missing item with its label; for the subsidy proofs,
// Subsidies lists the subsidies still without a proof.
type MissingItem struct {
	Key       ItemKey   `json:"cle"`
	Label     string    `json:"libelle"`
	Subsidies []Subsidy `json:"subventions,omitempty"`
}

// OpenCorrection is a pending correction with the item's label.
type OpenCorrection struct {
	ID     int64     `json:"id"`
	Key    ItemKey   `json:"cle"`
	Label  string    `json:"libelle"`
	Reason string    `json:"motif"`
	Since  time.Time `json:"demandee_le"`
}

// MissingKeys returns the keys of the missing items (the contract's
// "manquants").
func (r Reminder) MissingKeys() []ItemKey {
	keys := make([]ItemKey, len(r.Missing))
	for i, m := range r.Missing {
		keys[i] = m.Key
	}
	return keys
}

// ReminderContent returns what a reminder for the dossier must say.
func ReminderContent(d Dossier) Reminder {
	r := Reminder{Missing: []MissingItem{}, Corrections: []OpenCorrection{}}
	for _, k := range d.Missing() {
		m := MissingItem{Key: k, Label: k.Label()}
		if k == Justificatifs && d.subsidiesKnown() {
			for _, p := range d.Proofs() {
				if !p.Proved() {
					m.Subsidies = append(m.Subsidies, p.Subsidy)
				}
			}
		}
		r.Missing = append(r.Missing, m)
	}
	for _, c := range d.OpenCorrections() {
		r.Corrections = append(r.Corrections, OpenCorrection{
			ID: c.ID, Key: c.Item, Label: c.Item.Label(), Reason: c.Reason, Since: c.CreatedAt,
		})
	}
	return r
}
