package demo

import (
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// Projects of the demo year.
const (
	projPhotos  = "Photos de classe"
	projNoel    = "Spectacle de Noël"
	projVerte   = "Classe verte"
	projSortie  = "Sorties culturelles"
	projKermess = "Kermesse"
)

func bookLine(account string, m money.Money) ledger.Line {
	return ledger.Line{Account: account, Amount: m}
}

// demoCalendar is the school year every demo coop lives, in day order.
func demoCalendar() []demoEvent {
	rec := func(day int, libelle string, mode ledger.Mode, t ledger.Treasury, lo, hi int, account, project string) demoEvent {
		return demoEvent{day, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return recetteOp(d, libelle, mode, t, g.eur(lo, hi, t == ledger.Caisse), account, project), true
		}}
	}
	fees := func(day int) demoEvent {
		return demoEvent{day, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Frais de tenue de compte", ledger.Prelevement, ledger.Banque, "",
				bookLine("62700008", g.eur(4, 18, true))))
		}}
	}
	return []demoEvent{
		rec(4, "Participation des familles — remise de chèques", ledger.Remise, ledger.Banque, 300, 900, "75600008", ""),
		rec(8, "Participation des familles en espèces", ledger.Especes, ledger.Caisse, 40, 150, "75600008", ""),
		{24, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "OCCE : cotisation et assurance", ledger.Cheque, ledger.Banque, "",
				bookLine("62810008", g.eur(120, 380, true)), bookLine("61681008", g.eur(30, 90, true))))
		}},
		{29, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return transferOp(d, "Avance à la régie "+g.regie.ID, ledger.Especes, ledger.Banque, g.regie.Treasury(), g.eur(100, 200, false)), true
		}},
		fees(31),
		{44, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Photographe scolaire : tirages", ledger.Cheque, ledger.Banque, projPhotos,
				bookLine("60700008", g.eur(250, 450, true))))
		}},
		rec(54, "Vente des photos — remise de chèques", ledger.Remise, ledger.Banque, 400, 700, "70700008", projPhotos),
		rec(57, "Vente des photos en espèces", ledger.Especes, ledger.Caisse, 80, 200, "70700008", projPhotos),
		rec(70, "Subvention de fonctionnement de la commune", ledger.Virement, ledger.Banque, 300, 1200, "74400008", ""),
		{90, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Spectacle de Noël : compagnie", ledger.Cheque, ledger.Banque, projNoel,
				bookLine("62570008", g.eur(200, 500, false))))
		}},
		{110, (*DemoYear).deposit},
		fees(121),
		{130, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Achat d'un vidéoprojecteur", ledger.Carte, ledger.Banque, "",
				bookLine("68000008", g.eur(300, 600, true))))
		}},
		rec(180, "Classe verte : participation des familles", ledger.Remise, ledger.Banque, 800, 2000, "70800008", projVerte),
		{195, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Classe verte : acompte du centre", ledger.Virement, ledger.Banque, projVerte,
				bookLine("62510008", g.eur(400, 900, false))))
		}},
		fees(211),
		{240, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			return g.bankDepense(depenseOp(d, "Classe verte : car et solde de l'hébergement", ledger.Cheque, ledger.Banque, projVerte,
				bookLine("62480008", g.eur(350, 700, false)), bookLine("62510008", g.eur(300, 900, true))))
		}},
		rec(250, "Kermesse : buvette et stands", ledger.Especes, ledger.Caisse, 200, 600, "70810008", projKermess),
		{255, (*DemoYear).deposit},
		{280, func(g *DemoYear, d time.Time) (ledger.Operation, bool) {
			if g.bal[g.regie.Treasury()] <= 0 {
				return ledger.Operation{}, false
			}
			return g.settleRegie(d), true
		}},
		fees(301),
	}
}

// bankDepense keeps the bank positive: a dépense that would overdraw it is
// dropped (the slot gets a filler instead).
func (g *DemoYear) bankDepense(op ledger.Operation) (ledger.Operation, bool) {
	return op, g.bal[ledger.Banque]-op.Amount >= 0
}

// deposit takes most of the caisse to the bank.
func (g *DemoYear) deposit(d time.Time) (ledger.Operation, bool) {
	cash := g.bal[ledger.Caisse]
	if cash < 10000 {
		return ledger.Operation{}, false
	}
	amount := (cash - 3000) / 1000 * 1000
	return transferOp(d, "Dépôt d'espèces à la banque", ledger.Especes, ledger.Caisse, ledger.Banque, amount), true
}

// settleRegie gives back what is left of the advance, in cash.
func (g *DemoYear) settleRegie(d time.Time) ledger.Operation {
	return transferOp(d, "Solde de la régie "+g.regie.ID, ledger.Especes, g.regie.Treasury(), ledger.Caisse, g.bal[g.regie.Treasury()])
}

// filler is an everyday operation; it never overdraws a treasury.
func (g *DemoYear) filler(d time.Time) ledger.Operation {
	for {
		switch k := g.rng.IntN(10); {
		case k == 0 && g.bal[g.regie.Treasury()] >= 500:
			m := min(g.bal[g.regie.Treasury()], g.eur(5, 30, true))
			return depenseOp(d, "Régie "+g.regie.ID+" : petit matériel de classe", ledger.Especes, g.regie.Treasury(), "",
				bookLine("60600008", m))
		case k == 1 && g.bal[ledger.Caisse] >= 25000:
			op, _ := g.deposit(d)
			return op
		case k <= 3:
			op := depenseOp(d, "Fournitures pour les activités", ledger.Carte, ledger.Banque, "", bookLine("60600008", g.eur(15, 120, true)))
			if g.rng.IntN(2) == 0 {
				op.Mode = ledger.Cheque
			}
			if g.bal[ledger.Banque]-op.Amount >= 0 {
				return op
			}
		case k == 4 && g.bal[ledger.Caisse] >= 4000:
			return depenseOp(d, "Petits achats en espèces", ledger.Especes, ledger.Caisse, "", bookLine("60600008", g.eur(5, 35, true)))
		case k == 5:
			op := depenseOp(d, "Livres et abonnements", ledger.Cheque, ledger.Banque, "", bookLine("61810008", g.eur(20, 90, true)))
			if g.bal[ledger.Banque]-op.Amount >= 0 {
				return op
			}
		case k == 6:
			op := depenseOp(d, "Sortie : entrées et visite guidée", ledger.Cheque, ledger.Banque, projSortie, bookLine("62510008", g.eur(60, 250, false)))
			if g.bal[ledger.Banque]-op.Amount >= 0 {
				return op
			}
		case k == 7:
			return recetteOp(d, "Sortie : participation des familles", ledger.Especes, ledger.Caisse, g.eur(15, 120, true), "70800008", projSortie)
		case k == 8:
			return recetteOp(d, "Sortie : participation des familles — chèques", ledger.Remise, ledger.Banque, g.eur(80, 300, false), "70800008", projSortie)
		case k == 9:
			return recetteOp(d, "Don de l'association de parents", ledger.Virement, ledger.Banque, g.eur(50, 300, false), "75800008", "")
		}
	}
}
