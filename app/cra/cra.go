// Package cra is the compte-rendu d'activité: a questionnaire defined as data
// (per AD and exercice; Default ships with the app), and the rules that turn
// a submitted form into answers — numbers within bounds, yes/no, one or
// several choices, free text with a length limit, required questions only
// enforced when the mandataire submits (a draft may be partial).
package cra

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the type of a question.
type Kind string

// The kinds of question.
const (
	Number   Kind = "nombre"
	YesNo    Kind = "oui_non"
	Choice   Kind = "choix"
	Multiple Kind = "choix_multiples"
	Text     Kind = "texte"
)

// defaultMaxLen bounds a free text whose definition sets no limit.
const defaultMaxLen = 2000

// Question is one question of the form. Key names the answer in stored
// answers and the form field; it never changes once coops have answered.
type Question struct {
	Key      string   `json:"cle"`
	Label    string   `json:"libelle"`
	Help     string   `json:"aide,omitempty"`
	Kind     Kind     `json:"type"`
	Required bool     `json:"obligatoire,omitempty"`
	Min      *int     `json:"min,omitempty"`
	Max      *int     `json:"max,omitempty"`
	MaxLen   int      `json:"longueur_max,omitempty"`
	Choices  []string `json:"choix,omitempty"`
}

// Section groups questions under a heading (a fieldset in the form).
type Section struct {
	Title     string     `json:"titre"`
	Questions []Question `json:"questions"`
}

// Definition is a whole questionnaire.
type Definition struct {
	Title    string    `json:"titre"`
	Sections []Section `json:"sections"`
}

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Parse reads a definition in JSON and checks it: keys well formed and
// unique, known kinds, choices for choice questions, sane bounds.
func Parse(b []byte) (Definition, error) {
	var d Definition
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Definition{}, fmt.Errorf("questionnaire illisible : %w", err)
	}
	if err := d.Check(); err != nil {
		return Definition{}, err
	}
	return d, nil
}

// Check reports the first mistake of a definition.
func (d Definition) Check() error {
	seen := map[string]bool{}
	n := 0
	for _, s := range d.Sections {
		if strings.TrimSpace(s.Title) == "" {
			return errors.New("questionnaire : une section n'a pas de titre")
		}
		for _, q := range s.Questions {
			n++
			if err := q.check(); err != nil {
				return fmt.Errorf("questionnaire, question « %s » : %w", q.Key, err)
			}
			if seen[q.Key] {
				return fmt.Errorf("questionnaire : la clé « %s » est en double", q.Key)
			}
			seen[q.Key] = true
		}
	}
	if n == 0 {
		return errors.New("questionnaire : aucune question")
	}
	return nil
}

func (q Question) check() error {
	switch {
	case !keyRE.MatchString(q.Key):
		return errors.New("la clé s'écrit en minuscules, chiffres et _ (40 caractères au plus)")
	case strings.TrimSpace(q.Label) == "":
		return errors.New("le libellé est obligatoire")
	case q.Min != nil && q.Max != nil && *q.Min > *q.Max:
		return errors.New("min dépasse max")
	case (q.Min != nil || q.Max != nil) && q.Kind != Number:
		return errors.New("min et max ne valent que pour un nombre")
	case q.MaxLen < 0 || (q.MaxLen > 0 && q.Kind != Text):
		return errors.New("longueur_max ne vaut que pour un texte")
	}
	switch q.Kind {
	case Number, YesNo, Text:
		if len(q.Choices) > 0 {
			return errors.New("des choix ne valent que pour une question à choix")
		}
	case Choice, Multiple:
		if len(q.Choices) < 2 {
			return errors.New("une question à choix propose au moins deux choix")
		}
		for i, c := range q.Choices {
			if strings.TrimSpace(c) == "" || slices.Contains(q.Choices[:i], c) {
				return errors.New("choix vide ou en double")
			}
		}
	default:
		return fmt.Errorf("type « %s » inconnu (nombre, oui_non, choix, choix_multiples, texte)", q.Kind)
	}
	return nil
}

// Limit returns the maximal length of a text answer.
func (q Question) Limit() int {
	if q.MaxLen > 0 {
		return q.MaxLen
	}
	return defaultMaxLen
}

// Questions lists every question in order.
func (d Definition) Questions() []Question {
	var out []Question
	for _, s := range d.Sections {
		out = append(out, s.Questions...)
	}
	return out
}

// Answers holds the answer to each question by key, in canonical form:
// a number in digits, "oui" or "non", the choices as written in the
// definition; an unanswered question is absent.
type Answers map[string][]string

// Errors maps a question key to what is wrong with its answer.
type Errors map[string]string

// Error lists the messages, in no particular order of questions.
func (e Errors) Error() string {
	msgs := make([]string, 0, len(e))
	for k, m := range e {
		msgs = append(msgs, k+" : "+m)
	}
	slices.Sort(msgs)
	return strings.Join(msgs, " ; ")
}

// Bind reads the answers of a submitted form (field name = question key).
// Every given answer must be valid; submit also requires the required
// questions. The answers come back as typed (trimmed), for the form to show
// them again next to the errors; they may be saved only when errs is nil.
func Bind(d Definition, form map[string][]string, submit bool) (Answers, Errors) {
	a := Answers{}
	errs := Errors{}
	for _, q := range d.Questions() {
		var vals []string
		for _, v := range form[q.Key] {
			if v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			if submit && q.Required {
				errs[q.Key] = "Cette question est obligatoire."
			}
			continue
		}
		canon, msg := q.read(vals)
		if msg != "" {
			a[q.Key] = vals
			errs[q.Key] = msg
			continue
		}
		a[q.Key] = canon
	}
	if len(errs) == 0 {
		return a, nil
	}
	return a, errs
}

// Check validates stored answers again (before a submission).
func Check(d Definition, a Answers, submit bool) Errors {
	_, errs := Bind(d, a, submit)
	return errs
}

// read turns the trimmed, non-empty values of one question into its
// canonical answer, or says what is wrong.
func (q Question) read(vals []string) ([]string, string) {
	if q.Kind != Multiple && len(vals) > 1 {
		return nil, "Une seule réponse est attendue."
	}
	v := vals[0]
	switch q.Kind {
	case Number:
		n, err := strconv.Atoi(strings.Join(strings.Fields(v), ""))
		switch {
		case err != nil:
			return nil, "Indiquez un nombre entier."
		case q.Min != nil && n < *q.Min:
			return nil, fmt.Sprintf("Le nombre doit être au moins %d.", *q.Min)
		case q.Max != nil && n > *q.Max:
			return nil, fmt.Sprintf("Le nombre doit être au plus %d.", *q.Max)
		}
		return []string{strconv.Itoa(n)}, ""
	case YesNo:
		switch strings.ToLower(v) {
		case "oui":
			return []string{"oui"}, ""
		case "non":
			return []string{"non"}, ""
		}
		return nil, "Répondez oui ou non."
	case Choice:
		if !slices.Contains(q.Choices, v) {
			return nil, "Choisissez une des réponses proposées."
		}
		return []string{v}, ""
	case Multiple:
		var out []string
		for _, c := range q.Choices { // definition order, no duplicates
			if slices.Contains(vals, c) {
				out = append(out, c)
			}
		}
		if len(out) != len(uniq(vals)) {
			return nil, "Choisissez parmi les réponses proposées."
		}
		return out, ""
	case Text:
		if n := utf8.RuneCountInString(v); n > q.Limit() {
			return nil, fmt.Sprintf("Le texte fait %d caractères ; %d au plus.", n, q.Limit())
		}
		return []string{v}, ""
	}
	return nil, "Type de question inconnu."
}

func uniq(vals []string) []string {
	var out []string
	for _, v := range vals {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Display returns an answer as a reader sees it: "Oui", "Non", the
// choices joined by commas, the number or text as is; "—" when unanswered.
func (q Question) Display(a Answers) string {
	vals := a[q.Key]
	if len(vals) == 0 {
		return "—"
	}
	if q.Kind == YesNo {
		if vals[0] == "oui" {
			return "Oui"
		}
		return "Non"
	}
	return strings.Join(vals, ", ")
}
