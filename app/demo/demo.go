package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"retkoop/app/auth"
	"retkoop/app/docstore"
	"retkoop/app/iban"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/uai"
)

// Options size the generated data.
type Options struct {
	Coops      int    // number of coops (default: the 8 named demo schools)
	Operations int    // operations per coop and exercice (book data)
	Exercices  int    // number of exercices with data, ending with the current campaign's
	Seed       uint64 // deterministic generation
	// Docs stores the demo's documents (dossier scans); nil: no dossiers.
	Docs *docstore.Store

	// own lists the UAIs the demo generates: the seeders leave every
	// other coop of the AD (imported by an operator) untouched.
	own map[string]bool
}

// owns reports whether the demo generated the coop of that UAI.
func (o Options) owns(uai string) bool { return o.own[uai] }

// Login is one account printed by the demo.
type Login struct {
	Role, Login, Password, Name string
}

var demoSchools = []struct{ name, commune, cp, street string }{
	{"École élémentaire Jules-Ferry", "Saint-Gaudens", "31800", "12 rue Victor-Hugo"},
	{"École maternelle Les Coquelicots", "Toulouse", "31500", "4 allée des Tilleuls"},
	{"École primaire Jean-Jaurès", "Muret", "31600", "1 place de la République"},
	{"École élémentaire Marcel-Pagnol", "Colomiers", "31770", "27 avenue du Val-d'Aran"},
	{"École maternelle Le Petit Prince", "Blagnac", "31700", "8 chemin de Ferronnière"},
	{"École primaire Pierre-et-Marie-Curie", "Tournefeuille", "31170", "15 rue des Écoles"},
	{"École élémentaire Lucie-Aubrac", "Balma", "31130", "3 rue Saint-Exupéry"},
	{"École primaire du Lauragais", "Revel", "31250", "22 boulevard Notre-Dame"},
}

var demoFirst = []string{"Claire", "Thomas", "Sophie", "Nicolas", "Isabelle", "Julien", "Nathalie", "Laurent", "Émilie", "Sébastien", "Aurélie", "Mathieu"}
var demoLast = []string{"Martin", "Bernard", "Dubois", "Garcia", "Roux", "Fournier", "Lefèvre", "Mercier", "Blanc", "Guérin", "Faure", "Rousseau"}
var demoCommunes = []struct{ name, cp string }{{"Toulouse", "31000"}, {"Castanet-Tolosan", "31320"}, {"Cugnaux", "31270"}, {"L'Union", "31240"},
	{"Ramonville-Saint-Agne", "31520"}, {"Plaisance-du-Touch", "31830"}, {"Villefranche-de-Lauragais", "31290"}, {"Luchon", "31110"},
	{"Fronton", "31620"}, {"Grenade", "31330"}, {"Carbonne", "31390"}, {"Auterive", "31190"}}
var demoKinds = []string{"École élémentaire", "École maternelle", "École primaire"}
var demoPatrons = []string{"Jean-Moulin", "Victor-Hugo", "Jacques-Prévert", "Jean-de-La-Fontaine", "Louise-Michel", "Simone-Veil", "Paul-Bert", "Condorcet", "Georges-Brassens", "Anne-Frank", "Olympe-de-Gouges", "Antoine-de-Saint-Exupéry"}

func strip(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ë", "e", "É", "e", "'", "", " ", "", "-", "")
	return strings.ToLower(r.Replace(s))
}

// Seed creates (idempotently) the demo AD "OCCE 31" with its chart, an
// admin, two staff and the coops, then issues fresh random passwords for
// the staff and the named demo coops and returns them to print.
func Seed(ctx context.Context, db *store.DB, o Options, hp auth.Params, exercice string) ([]Login, error) {
	if o.Coops <= 0 {
		o.Coops = len(demoSchools)
	}
	if o.Seed == 0 {
		o.Seed = 31
	}
	sys := db.System()
	ad, err := sys.EnsureAD(ctx, "31", "OCCE 31 — Haute-Garonne")
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if err := sys.SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	people := []struct{ role, login, name string }{
		{store.RoleAdmin, "admin@occe31.example", "Hélène Admin"},
		{store.RoleStaff, "comptes@occe31.example", "Marc Comptable"},
		{store.RoleStaff, "secretariat@occe31.example", "Agnès Secrétariat"},
	}
	adScope, err := db.ForAD(ctx, ad.ID, nil)
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		if _, err := sys.UserByLogin(ctx, p.login); err == nil {
			continue
		}
		if err := adScope.CreateStaff(ctx, &store.User{Role: p.role, Login: p.login, Email: p.login, Name: p.name, MustChange: true}); err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 1))
	rows := make([]store.CoopImport, 0, o.Coops)
	for i := 0; i < o.Coops; i++ {
		var name, commune, cp, street string
		if i < len(demoSchools) {
			s := demoSchools[i]
			name, commune, cp, street = s.name, s.commune, s.cp, s.street
		} else {
			c := demoCommunes[rng.IntN(len(demoCommunes))]
			name = fmt.Sprintf("%s %s", demoKinds[rng.IntN(len(demoKinds))], demoPatrons[rng.IntN(len(demoPatrons))])
			if rng.IntN(3) == 0 {
				name += fmt.Sprintf(" n°%d", 1+i%9)
			}
			commune, cp, street = c.name, c.cp, fmt.Sprintf("%d rue de l'École", 1+rng.IntN(80))
		}
		first, last := demoFirst[rng.IntN(len(demoFirst))], demoLast[rng.IntN(len(demoLast))]
		bban := fmt.Sprintf("1310600%04d%011d%02d", 100+i%900, 10000000+i*37, rng.IntN(100))
		rows = append(rows, store.CoopImport{
			UAI: uai.Make(310100 + i*3),
			Params: store.CoopParams{Name: name, Address: street, PostalCode: cp, Commune: commune,
				IBAN: iban.Make("FR", bban), MandataireName: first + " " + last,
				MandataireEmail: fmt.Sprintf("%s.%s.%d@ac-toulouse.example", strip(first), strip(last), i), BookMode: store.BookKept},
			OpeningBank: money.Money(50000 + rng.IntN(400000)),
			OpeningCash: money.Money(rng.IntN(20000)),
		})
	}
	// One generated coop in ten keeps its books on paper and enters its CRF
	// directly, so that the staff's queue and consolidation show both ways.
	for i := len(demoSchools); i < len(rows); i += 10 {
		rows[i].Params.BookMode = store.BookEntered
	}
	if _, err := sys.BulkImportCoops(ctx, ad.ID, rows, exercice); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	o.own = make(map[string]bool, len(rows))
	for _, r := range rows {
		o.own[r.UAI] = true
	}
	if err := seedDemoBooks(ctx, db, ad.ID, o, exercice); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	// — demo: dossiers —
	if err := seedDemoDossiers(ctx, db, o, ad.ID, exercice); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	// — demo: closing —
	if err := seedDemoClosing(ctx, db, o, ad.ID, exercice); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	// — demo: staff —
	if err := seedDemoCashCounts(ctx, db, o, ad.ID, exercice); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if err := seedDemoBank(ctx, db, o, ad.ID, exercice); err != nil { // — demo: bank —
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	var logins []Login
	issue := func(role, login, name string) error {
		u, err := sys.UserByLogin(ctx, login)
		if err != nil {
			return err
		}
		pw, hash, err := auth.Issue(hp)
		if err != nil {
			return err
		}
		if err := db.Auth().SetPassword(ctx, u.ID, hash, true, nil); err != nil {
			return err
		}
		logins = append(logins, Login{Role: role, Login: login, Password: pw, Name: name})
		return nil
	}
	for _, p := range people {
		if err := issue(p.role, p.login, p.name); err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
	}
	for i := 0; i < len(rows) && i < len(demoSchools); i++ {
		if err := issue(store.RoleMandataire, rows[i].UAI, rows[i].Params.Name); err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
	}
	return logins, nil
}
