package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Rule is one reminder rule of a campaign: a day counted from the deadline
// (J-7 is 7 days before, J+1 the day after), optionally repeated every so
// many days after that (J+1 then every 14 days: J+1, J+15, J+29…).
type Rule struct {
	// Offset is the number of days from the deadline, negative before it.
	Offset int `json:"decalage"`
	// Every, when positive, repeats the rule every Every days after Offset,
	// until the dossier is transmitted.
	Every int `json:"tous_les,omitempty"`
}

// maxRuleDays bounds offsets and repeats to a year: anything larger is a
// typing mistake, not a reminder policy.
const maxRuleDays = 366

// Name names the rule's first date, "J-7", "J" or "J+15". Each date of a
// repeated rule has its own name (J+1, J+15, J+29), which is the key under
// which a reminder is sent once per dossier (the contract's "regle").
func (r Rule) Name() string {
	switch {
	case r.Offset == 0:
		return "J"
	case r.Offset > 0:
		return "J+" + strconv.Itoa(r.Offset)
	}
	return "J" + strconv.Itoa(r.Offset)
}

// String writes the rule the way ParseRules reads it: "J-7", or "J+1, +14"
// for a repeated rule.
func (r Rule) String() string {
	if r.Every > 0 {
		return r.Name() + ", +" + strconv.Itoa(r.Every)
	}
	return r.Name()
}

// DefaultRules returns the rules of a new campaign: 21, 7 and 1 days before
// the deadline, the day after, then every 14 days.
func DefaultRules() []Rule {
	return []Rule{{Offset: -21}, {Offset: -7}, {Offset: -1}, {Offset: 1, Every: 14}}
}

// FormatRules writes rules as an AD admin edits them, e.g.
// "J-21, J-7, J-1, J+1, +14"; ParseRules reads it back.
func FormatRules(rules []Rule) string {
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// ErrInvalidRules is wrapped by the errors of ParseRules.
var ErrInvalidRules = errors.New("règles de relance invalides")

const rulesHelp = "écrivez par exemple « J-21, J-7, J-1, J+1, +14 » : J-7 = 7 jours avant l'échéance, J+1 = le lendemain, +14 = puis tous les 14 jours"

// ParseRules reads reminder rules as typed by an AD admin: rules separated
// by commas, semicolons or new lines, each "J-n", "J+n" or "J" (the deadline
// day), and "+n" after a rule to repeat it every n days. Case, spaces and
// typographic dashes do not matter. An empty text means no reminder. The
// rules come back sorted by date.
func ParseRules(s string) ([]Rule, error) {
	norm := strings.NewReplacer("−", "-", "–", "-", "—", "-", ";", ",", "\n", ",").Replace(s)
	var rules []Rule
	for _, raw := range strings.Split(norm, ",") {
		tok := strings.ToUpper(strings.Join(strings.Fields(raw), ""))
		if tok == "" {
			continue
		}
		switch {
		case strings.HasPrefix(tok, "+"):
			n, err := strconv.Atoi(strings.TrimSuffix(tok[1:], "J"))
			if err != nil || n < 1 || n > maxRuleDays {
				return nil, fmt.Errorf("%w : « %s » doit donner un nombre de jours entre 1 et %d ; %s", ErrInvalidRules, strings.TrimSpace(raw), maxRuleDays, rulesHelp)
			}
			if len(rules) == 0 {
				return nil, fmt.Errorf("%w : « %s » doit suivre une règle qu'il répète, par exemple « J+1, +14 »", ErrInvalidRules, strings.TrimSpace(raw))
			}
			last := &rules[len(rules)-1]
			if last.Every > 0 {
				return nil, fmt.Errorf("%w : « %s » suit une règle déjà répétée", ErrInvalidRules, strings.TrimSpace(raw))
			}
			last.Every = n
		case tok == "J":
			rules = append(rules, Rule{})
		case strings.HasPrefix(tok, "J+") || strings.HasPrefix(tok, "J-"):
			n, err := strconv.Atoi(tok[1:])
			if err != nil || n < -maxRuleDays || n > maxRuleDays {
				return nil, fmt.Errorf("%w : « %s » doit donner un nombre de jours entre 0 et %d ; %s", ErrInvalidRules, strings.TrimSpace(raw), maxRuleDays, rulesHelp)
			}
			rules = append(rules, Rule{Offset: n})
		default:
			return nil, fmt.Errorf("%w : « %s » n'est pas une règle ; %s", ErrInvalidRules, strings.TrimSpace(raw), rulesHelp)
		}
	}
	slices.SortStableFunc(rules, func(a, b Rule) int { return a.Offset - b.Offset })
	for i := 1; i < len(rules); i++ {
		if rules[i].Offset == rules[i-1].Offset {
			return nil, fmt.Errorf("%w : « %s » apparaît deux fois", ErrInvalidRules, rules[i].Name())
		}
	}
	return rules, nil
}
