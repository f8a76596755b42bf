package ledger

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	ce1 := RegieTreasury("CE1")
	ctx := Context{Exercice: ex2025, Chart: testChart, Regies: []Regie{{ID: "CE1", Label: "CE1 — Mme Martin"}},
		Pieces: map[string]int64{"12": 7, "R01": 8}}
	affiliation := Operation{ID: 0, Date: day("03/10/2025"), Piece: "13", Libelle: "Affiliation OCCE", Kind: Depense,
		Mode: Cheque, Cheque: "0001234", Treasury: Banque, Amount: eur("100"),
		Lines: []Line{{"62810008", eur("80")}, {"61681008", eur("20")}}}
	stmt := day("31/10/2025")

	tests := []struct {
		name   string
		edit   func(op *Operation)
		want   string // "" = valid
		fields []string
	}{
		{"valid split dépense", func(op *Operation) {}, "", nil},
		{"valid recette", func(op *Operation) {
			*op = rec(0, "05/10/2025", "14", Caisse, "45,50", "70800008")
		}, "", nil},
		{"valid transfer to régie", func(op *Operation) {
			*op = xfer(0, "05/10/2025", "14", Caisse, ce1, "150")
		}, "", nil},
		{"valid dépense on régie", func(op *Operation) {
			*op = dep(0, "05/10/2025", "14", ce1, "12,40", "60600008")
		}, "", nil},
		{"valid ticked", func(op *Operation) { op.Ticked = &stmt }, "", nil},
		{"edit keeps own pièce", func(op *Operation) { op.ID, op.Piece = 7, "12" }, "", nil},
		{"pièce compared without case", func(op *Operation) { op.Piece = " r01 " }, "la pièce « r01 » est déjà utilisée dans l'exercice 2025-2026", []string{"piece"}},
		{"ventilation short", func(op *Operation) { op.Lines = op.Lines[:1] },
			"la ventilation (80,00\u00a0€) ne correspond pas au montant (100,00\u00a0€) : reste 20,00\u00a0€ à ventiler", []string{"lines"}},
		{"ventilation over", func(op *Operation) { op.Amount = eur("90") },
			"la ventilation (100,00\u00a0€) ne correspond pas au montant (90,00\u00a0€) : 10,00\u00a0€ de trop", []string{"lines"}},
		{"no ventilation", func(op *Operation) { op.Lines = nil }, "la ventilation est vide", []string{"lines"}},
		{"zero amount", func(op *Operation) { op.Amount = 0 }, "le montant doit être supérieur à zéro", []string{"amount"}},
		{"negative amount", func(op *Operation) { op.Amount = -100 }, "le montant doit être supérieur à zéro", []string{"amount"}},
		{"zero line", func(op *Operation) {
			op.Lines = append(op.Lines, Line{"60600008", 0})
		}, "le montant ventilé sur le compte 60600008 doit être supérieur à zéro", []string{"lines"}},
		{"dépense on class 7", func(op *Operation) { op.Lines[1].Account = "70800008" },
			"le compte 70800008 (Participation des familles aux activités) n'est pas un compte de charges", []string{"lines"}},
		{"recette on class 6", func(op *Operation) { op.Kind, op.Mode = Recette, Especes },
			"n'est pas un compte de produits : une recette se ventile sur des comptes 7…", []string{"lines", "lines"}},
		{"unknown account", func(op *Operation) { op.Lines[0].Account = "62899998" },
			"le compte « 62899998 » n'existe pas dans le plan comptable", []string{"lines"}},
		{"date before", func(op *Operation) { op.Date = day("31/08/2025") },
			"la date 31/08/2025 est hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)", []string{"date"}},
		{"date after", func(op *Operation) { op.Date = day("01/09/2026") }, "hors de l'exercice", []string{"date"}},
		{"no date", func(op *Operation) { op.Date = time.Time{} }, "la date est obligatoire", []string{"date"}},
		{"no pièce", func(op *Operation) { op.Piece = "  " }, "le numéro de pièce est obligatoire", []string{"piece"}},
		{"duplicate pièce", func(op *Operation) { op.Piece = "12" }, "la pièce « 12 » est déjà utilisée", []string{"piece"}},
		{"no libellé", func(op *Operation) { op.Libelle = "" }, "le libellé est obligatoire", []string{"libelle"}},
		{"no cheque number", func(op *Operation) { op.Cheque = " " },
			"le numéro de chèque est obligatoire pour une dépense par chèque", []string{"cheque"}},
		{"recette by cheque needs no number", func(op *Operation) {
			*op = rec(0, "05/10/2025", "14", Banque, "30", "75600008")
			op.Mode = Cheque
		}, "", nil},
		{"unknown mode", func(op *Operation) { op.Mode = "Chèque" }, "mode de règlement inconnu : « Chèque »", []string{"mode"}},
		{"unknown kind", func(op *Operation) { op.Kind = "don" }, "le type d'opération doit être", []string{"kind"}},
		{"no treasury", func(op *Operation) { op.Treasury = "" }, "la trésorerie est obligatoire", []string{"treasury"}},
		{"unknown treasury", func(op *Operation) { op.Treasury = "livret" }, "trésorerie inconnue : « livret »", []string{"treasury"}},
		{"unknown régie", func(op *Operation) { op.Treasury = RegieTreasury("CM2") },
			"la régie « CM2 » n'existe pas : créez-la d'abord", []string{"treasury"}},
		{"recette on régie", func(op *Operation) { *op = rec(0, "05/10/2025", "14", ce1, "5", "70800008") },
			"une régie d'avance ne reçoit que des avances", []string{"treasury"}},
		{"counterpart on dépense", func(op *Operation) { op.Counterpart = Caisse },
			"seul un mouvement interne a une trésorerie de destination", []string{"counterpart"}},
		{"transfer with ventilation", func(op *Operation) {
			*op = xfer(0, "05/10/2025", "14", Caisse, Banque, "100")
			op.Lines = []Line{{"62810008", eur("100")}}
		}, "un mouvement interne ne se ventile pas", []string{"lines"}},
		{"transfer to itself", func(op *Operation) { *op = xfer(0, "05/10/2025", "14", Caisse, Caisse, "100") },
			"un mouvement interne relie deux trésoreries différentes", []string{"counterpart"}},
		{"transfer without destination", func(op *Operation) { *op = xfer(0, "05/10/2025", "14", Caisse, "", "100") },
			"indiquez la trésorerie qui reçoit l'argent", []string{"counterpart"}},
		{"transfer between régies", func(op *Operation) {
			*op = xfer(0, "05/10/2025", "14", ce1, RegieTreasury("CM2"), "10")
		}, "pas de mouvement direct entre deux régies", []string{"counterpart"}},
		{"transfer to unknown régie", func(op *Operation) {
			*op = xfer(0, "05/10/2025", "14", Banque, RegieTreasury("CM2"), "10")
		}, "la régie « CM2 » n'existe pas", []string{"counterpart"}},
		{"ticked cash", func(op *Operation) {
			*op = dep(0, "05/10/2025", "14", Caisse, "5", "60600008")
			op.Ticked = &stmt
		}, "seule une opération du compte courant peut être pointée", []string{"ticked"}},
		{"ticked deposit to bank", func(op *Operation) {
			*op = xfer(0, "05/10/2025", "14", Caisse, Banque, "100")
			op.Ticked = &stmt
		}, "", nil},
		{"several problems at once", func(op *Operation) { op.Piece, op.Libelle, op.Amount = "", "", 0 },
			"le numéro de pièce est obligatoire ; le libellé est obligatoire ; le montant doit être supérieur à zéro",
			[]string{"piece", "libelle", "amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := affiliation.Clone()
			tt.edit(&op)
			err := Validate(op, ctx)
			wantContains(t, err, tt.want)
			if tt.want == "" {
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
			}
			var inv Invalid
			if !errors.As(err, &inv) {
				t.Fatalf("error is not Invalid: %T", err)
			}
			var fields []string
			for _, e := range inv {
				fields = append(fields, e.Field)
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields = %v, want %v (%v)", fields, tt.fields, err)
			}
		})
	}
}

func TestPieceIndex(t *testing.T) {
	m := PieceIndex([]Operation{{ID: 3, Piece: " d01"}, {ID: 4, Piece: "12"}})
	if m["D01"] != 3 || m["12"] != 4 || len(m) != 2 {
		t.Errorf("PieceIndex = %v", m)
	}
}

func TestParseModeAndTreasury(t *testing.T) {
	modes := map[string]Mode{"Chèque": Cheque, "CHQ": Cheque, "espèces": Especes, "CB": Carte, "Remise de chèques": Remise,
		"prélèvement": Prelevement, "Virement": Virement, "": ""}
	for in, want := range modes {
		if got, ok := ParseMode(in); !ok || got != want {
			t.Errorf("ParseMode(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseMode("troc"); ok {
		t.Error("ParseMode accepts troc")
	}
	treasuries := map[string]Treasury{"banque": Banque, "Compte courant": Banque, "CAISSE": Caisse,
		"regie:CE1": RegieTreasury("CE1"), "Régie CP-A": RegieTreasury("CP-A"), "régie : CM2": RegieTreasury("CM2")}
	for in, want := range treasuries {
		if got, ok := ParseTreasury(in); !ok || got != want {
			t.Errorf("ParseTreasury(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"regie:", "livret", "62810008", ""} {
		if got, ok := ParseTreasury(bad); ok {
			t.Errorf("ParseTreasury(%q) = %q, want refusal", bad, got)
		}
	}
	if RegieTreasury("CE1").Label() != "la régie « CE1 »" || Caisse.Label() != "la caisse" || !RegieTreasury("x").IsRegie() || Banque.IsRegie() {
		t.Error("treasury labels")
	}
}
