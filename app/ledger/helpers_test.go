package ledger

import (
	"strings"
	"testing"
	"time"

	"retkoop/app/money"
)

// testChart is a part of the seed chart.
var testChart = Chart{
	"60600008": "Achats de fournitures et petit matériel",
	"61681008": "Assurances versées à l'OCCE",
	"62510008": "Sorties et voyages",
	"62810008": "Cotisations versées à l'OCCE",
	"68000008": "Achats de biens durables",
	"70800008": "Participation des familles aux activités",
	"74400008": "Subventions de la Commune",
	"74300008": "Subventions du Département",
	"75600008": "Participations volontaires des familles",
}

var ex2025 = Exercice{StartYear: 2025}

// day parses "12/10/2025" for tests.
func day(s string) time.Time {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return t
}

func eur(s string) money.Money { return money.MustParse(s) }

// rec builds a valid recette on one account.
func rec(id int64, date, piece string, t Treasury, amount, account string) Operation {
	return Operation{ID: id, Date: day(date), Piece: piece, Libelle: "recette " + piece, Kind: Recette,
		Mode: Especes, Treasury: t, Amount: eur(amount), Lines: []Line{{account, eur(amount)}}}
}

// dep builds a valid dépense on one account.
func dep(id int64, date, piece string, t Treasury, amount, account string) Operation {
	return Operation{ID: id, Date: day(date), Piece: piece, Libelle: "dépense " + piece, Kind: Depense,
		Mode: Especes, Treasury: t, Amount: eur(amount), Lines: []Line{{account, eur(amount)}}}
}

// xfer builds a transfer from one treasury to another.
func xfer(id int64, date, piece string, from, to Treasury, amount string) Operation {
	return Operation{ID: id, Date: day(date), Piece: piece, Libelle: "mouvement " + piece, Kind: Transfert,
		Mode: Especes, Treasury: from, Counterpart: to, Amount: eur(amount)}
}

func wantContains(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}
