package bank

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func line(id int64, date, label, amount string) BankLine {
	return BankLine{ID: id, Line: Line{Date: day(date), Label: label, Amount: eur(amount)}}
}

func entry(id int64, date, amount, mode, cheque, label string) Entry {
	return Entry{ID: id, Date: day(date), Piece: fmt.Sprintf("P%02d", id), Amount: eur(amount), Mode: mode, Cheque: cheque, Label: label}
}

// pairs renders proposals as "line→entries" for comparison.
func pairs(ps []Proposal) []string {
	out := []string{}
	for _, p := range ps {
		ids := make([]string, len(p.EntryIDs))
		for i, id := range p.EntryIDs {
			ids[i] = fmt.Sprint(id)
		}
		out = append(out, fmt.Sprintf("%d→%s", p.LineID, strings.Join(ids, "+")))
	}
	return out
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name      string
		lines     []BankLine
		entries   []Entry
		auto      []string
		proposed  []string
		unmatched []int64
	}{
		{
			name:    "chèque encaissé 40 jours après",
			lines:   []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			entries: []Entry{entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie Privat albums"), entry(2, "2025-10-05", "-45,00", "cheque", "1234568", "Cars Dupont")},
			auto:    []string{"10→1"},
		},
		{
			name: "deux chèques du même montant, numéros au relevé",
			lines: []BankLine{
				line(10, "2025-10-20", "CHQ N°0001236", "-60,00"),
				line(11, "2025-10-15", "CHQ.1235", "-60,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-01", "-60,00", "cheque", "0001235", "Entrées musée"),
				entry(2, "2025-10-02", "-60,00", "cheque", "0001236", "Intervenant musique"),
			},
			auto: []string{"10→2", "11→1"},
		},
		{
			name: "deux chèques du même montant sans numéro au relevé : rien d'automatique",
			lines: []BankLine{
				line(10, "2025-10-15", "CHEQUE", "-60,00"),
				line(11, "2025-10-20", "CHEQUE", "-60,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-01", "-60,00", "cheque", "0001235", "Entrées musée"),
				entry(2, "2025-10-02", "-60,00", "cheque", "0001236", "Intervenant musique"),
			},
			proposed: []string{"10→2", "11→1"},
		},
		{
			name: "remise de plusieurs chèques",
			lines: []BankLine{
				line(10, "2025-10-06", "REMISE CHEQUES 0004512", "60,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-01", "15,00", "cheque", "", "Participation sortie Martin"),
				entry(2, "2025-10-02", "15,00", "cheque", "", "Participation sortie Durand"),
				entry(3, "2025-10-03", "30,00", "cheque", "", "Participation sortie Bernard (2 enfants)"),
				entry(4, "2025-09-01", "45,00", "cheque", "", "Photos : hors fenêtre"),
				entry(5, "2025-10-04", "30,00", "virement", "", "Virement : pas dans une remise"),
			},
			auto:      []string{"10→1+2+3"},
			unmatched: nil,
		},
		{
			name: "remise ambiguë : trois chèques de 15 € pour 30 €",
			lines: []BankLine{
				line(10, "2025-10-06", "REM CHQ 0004513", "30,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-01", "15,00", "cheque", "", "Participation A"),
				entry(2, "2025-10-02", "15,00", "cheque", "", "Participation B"),
				entry(3, "2025-10-03", "15,00", "cheque", "", "Participation C"),
			},
			proposed: []string{"10→2+3"},
		},
		{
			name: "une remise saisie en une seule opération",
			lines: []BankLine{
				line(10, "2025-10-06", "REMISE CHEQUES 0004512", "60,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-03", "60,00", "remise", "", "Remise chèques photos"),
				entry(2, "2025-10-01", "30,00", "cheque", "", "Participation A"),
				entry(3, "2025-10-02", "30,00", "cheque", "", "Participation B"),
			},
			auto: []string{"10→1"},
		},
		{
			name:      "frais bancaires : rien dans le cahier",
			lines:     []BankLine{line(10, "2025-10-31", "FRAIS TENUE DE COMPTE", "-3,50")},
			entries:   []Entry{entry(1, "2025-10-02", "-35,00", "carte", "", "Fournitures")},
			unmatched: []int64{10},
		},
		{
			name:    "virement de la mairie",
			lines:   []BankLine{line(10, "2025-11-18", "VIR SEPA MAIRIE DE TOULOUSE SUBVENTION PROJET THEATRE", "500,00")},
			entries: []Entry{entry(1, "2025-11-15", "500,00", "virement", "", "Subvention commune projet théâtre")},
			auto:    []string{"10→1"},
		},
		{
			name:    "paiement par carte le lendemain",
			lines:   []BankLine{line(10, "2025-10-13", "CB LIBRAIRIE PRIVAT 11/10", "-35,20")},
			entries: []Entry{entry(1, "2025-10-11", "-35,20", "carte", "", "Librairie Privat : albums")},
			auto:    []string{"10→1"},
		},
		{
			name:      "paiement par carte hors fenêtre",
			lines:     []BankLine{line(10, "2025-10-20", "CB LIBRAIRIE PRIVAT", "-35,20")},
			entries:   []Entry{entry(1, "2025-10-11", "-35,20", "carte", "", "Librairie Privat : albums")},
			unmatched: []int64{10},
		},
		{
			name: "deux lignes pour une seule opération",
			lines: []BankLine{
				line(10, "2025-10-12", "CB BOULANGERIE", "-12,00"),
				line(11, "2025-10-13", "CB BOULANGERIE", "-12,00"),
			},
			entries:   []Entry{entry(1, "2025-10-11", "-12,00", "carte", "", "Boulangerie : galettes")},
			proposed:  []string{"10→1"},
			unmatched: []int64{11},
		},
		{
			name:    "chèque du 25/08 encaissé le 10/09, sur le relevé de l'exercice suivant",
			lines:   []BankLine{line(10, "2026-09-10", "CHEQUE 1234599", "-80,00")},
			entries: []Entry{entry(1, "2026-08-25", "-80,00", "cheque", "1234599", "Autocars : sortie de fin d'année")},
			auto:    []string{"10→1"},
		},
		{
			name:  "une opération déjà pointée n'est jamais reprise",
			lines: []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			entries: []Entry{
				func() Entry {
					e := entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie")
					e.Ticked = true
					return e
				}(),
				entry(2, "2025-10-05", "-45,00", "cheque", "1234570", "Autre chèque"),
			},
			unmatched: []int64{10},
		},
		{
			name:  "une opération déjà pointée, une autre convient",
			lines: []BankLine{line(10, "2025-10-13", "PRLV SEPA OCCE 31", "-245,60")},
			entries: []Entry{
				func() Entry {
					e := entry(1, "2025-10-12", "-245,60", "prelevement", "", "Cotisation OCCE")
					e.Ticked = true
					return e
				}(),
				entry(2, "2025-10-11", "-245,60", "prelevement", "", "Cotisation OCCE"),
			},
			auto: []string{"10→2"},
		},
		{
			name:      "numéro de chèque différent : jamais apparié",
			lines:     []BankLine{line(10, "2025-10-20", "CHEQUE 7654321", "-45,00")},
			entries:   []Entry{entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie")},
			unmatched: []int64{10},
		},
		{
			name:     "chèque sans numéro, seul candidat : proposé",
			lines:    []BankLine{line(10, "2025-10-20", "CHEQUE", "-45,00")},
			entries:  []Entry{entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie")},
			proposed: []string{"10→1"},
		},
		{
			name:    "versement d'espèces de la caisse",
			lines:   []BankLine{line(10, "2025-12-18", "VERSEMENT ESPECES", "200,00")},
			entries: []Entry{entry(1, "2025-12-15", "200,00", "especes", "", "Dépôt espèces marché de Noël")},
			auto:    []string{"10→1"},
		},
		{
			name: "un chèque numéroté l'emporte sur un chèque sans numéro",
			lines: []BankLine{
				line(10, "2025-10-20", "CHEQUE 1234567", "-45,00"),
				line(11, "2025-10-21", "CHEQUE", "-45,00"),
			},
			entries: []Entry{
				entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie"),
				entry(2, "2025-10-02", "-45,00", "cheque", "", "Cars"),
			},
			auto:     []string{"10→1"},
			proposed: []string{"11→2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Match(tt.lines, tt.entries, Options{})
			if got, want := pairs(res.Auto), orEmpty(tt.auto); !slices.Equal(got, want) {
				t.Errorf("auto = %v, want %v\n%s", got, want, dump(res))
			}
			if got, want := pairs(res.Proposed), orEmpty(tt.proposed); !slices.Equal(got, want) {
				t.Errorf("proposed = %v, want %v\n%s", got, want, dump(res))
			}
			if !slices.Equal(res.Unmatched, tt.unmatched) {
				t.Errorf("unmatched = %v, want %v", res.Unmatched, tt.unmatched)
			}
			for _, p := range res.Auto {
				if p.Score < 0.85 || len(p.Alternatives) > 0 {
					t.Errorf("auto %v: score %v, alternatives %v", p.EntryIDs, p.Score, p.Alternatives)
				}
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func dump(r Result) string {
	var b strings.Builder
	for _, p := range append(slices.Clone(r.Auto), r.Proposed...) {
		fmt.Fprintf(&b, "  %d→%v %.3f %q alt=%v\n", p.LineID, p.EntryIDs, p.Score, p.Reasons, p.Alternatives)
	}
	return b.String()
}

func TestMatchReasons(t *testing.T) {
	res := Match(
		[]BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
		[]Entry{entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie Privat albums")},
		Options{})
	if len(res.Auto) != 1 {
		t.Fatalf("auto = %v", res.Auto)
	}
	want := []string{"même montant", "n° de chèque 1234567 dans le libellé", "mode de règlement cohérent (chèque)", "encaissé 40 jours après", "seule correspondance possible"}
	if !slices.Equal(res.Auto[0].Reasons, want) {
		t.Errorf("reasons = %q, want %q", res.Auto[0].Reasons, want)
	}
	if res.Auto[0].Score != 1 {
		t.Errorf("score = %v, want 1", res.Auto[0].Score)
	}
}

func TestMatchAmbiguousHasAlternatives(t *testing.T) {
	res := Match(
		[]BankLine{line(10, "2025-10-15", "CHEQUE", "-60,00"), line(11, "2025-10-20", "CHEQUE", "-60,00")},
		[]Entry{entry(1, "2025-10-01", "-60,00", "cheque", "1", "A"), entry(2, "2025-10-02", "-60,00", "cheque", "2", "B")},
		Options{})
	if len(res.Proposed) != 2 {
		t.Fatalf("proposed = %v", pairs(res.Proposed))
	}
	first := res.Proposed[0]
	if len(first.Alternatives) != 1 || !slices.Equal(first.Alternatives[0], []int64{1}) {
		t.Errorf("alternatives of line 10 = %v, want [[1]]", first.Alternatives)
	}
}

func TestMatchThresholdOptions(t *testing.T) {
	lines := []BankLine{line(10, "2025-10-20", "CHEQUE", "-45,00")}
	entries := []Entry{entry(1, "2025-10-01", "-45,00", "cheque", "1234567", "Librairie")}
	// A lower auto threshold makes the lone unnumbered cheque sure.
	if res := Match(lines, entries, Options{AutoThreshold: 0.8}); len(res.Auto) != 1 {
		t.Errorf("auto threshold 0.8: auto = %v proposed = %v", pairs(res.Auto), pairs(res.Proposed))
	}
	// A shorter cheque window leaves it out.
	if res := Match(lines, entries, Options{ChequeDays: 10}); len(res.Unmatched) != 1 {
		t.Errorf("cheque window 10 days: %+v", res)
	}
}
