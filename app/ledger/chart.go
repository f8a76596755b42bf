package ledger

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"retkoop/app/csvin"
)

// Chart is an AD's chart of accounts: account code → libellé. It is data
// (each AD loads its own nomenclature), so the rules only rely on the class
// of a code: 6 for charges, 7 for produits (ChargeAccount, ProductAccount).
type Chart map[string]string

// ChargeAccount reports whether code is a charge account: class 6 of the
// plan comptable. A code is an account only below its class, so "6" alone
// (the class itself) is not one.
func ChargeAccount(code string) bool { return ofClass(code, '6') }

// ProductAccount reports whether code is a produit account: class 7 of the
// plan comptable, "7" alone excepted (see ChargeAccount).
func ProductAccount(code string) bool { return ofClass(code, '7') }

// SubsidyAccount reports whether an account records a subsidy (74…), a kind
// of produit account.
func SubsidyAccount(code string) bool { return strings.HasPrefix(code, "74") }

func ofClass(code string, class byte) bool { return len(code) > 1 && code[0] == class }

// Has reports whether the code is in the chart.
func (c Chart) Has(code string) bool { _, ok := c[code]; return ok }

// Label returns the libellé of an account, or the code itself when unknown.
func (c Chart) Label(code string) string {
	if l, ok := c[code]; ok && l != "" {
		return l
	}
	return code
}

// Codes returns every account code of the chart, sorted: the order of the
// forms and of anything derived from the whole chart (a cache key).
func (c Chart) Codes() []string {
	codes := make([]string, 0, len(c))
	for code := range c {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// Split returns the sorted codes of the charge accounts and of the produit
// accounts, the two lists every form offers (a dépense is ventilated on
// charges, a recette on produits). A code of neither class is in neither
// list: no operation or CRF may use it.
func (c Chart) Split() (charges, products []string) {
	for _, code := range c.Codes() {
		switch {
		case ChargeAccount(code):
			charges = append(charges, code)
		case ProductAccount(code):
			products = append(products, code)
		}
	}
	return charges, products
}

// SubsidyCodes returns the sorted codes of the chart's subsidy accounts,
// the accounts a row of the tableau des subventions may name.
func (c Chart) SubsidyCodes() []string {
	var out []string
	for _, code := range c.Codes() {
		if SubsidyAccount(code) {
			out = append(out, code)
		}
	}
	return out
}

// ParseChartCSV reads a chart in the seed file's shape (columns compte and
// libelle, other columns ignored).
func ParseChartCSV(r io.Reader) (Chart, error) {
	tab, err := csvin.Read(r, []string{"compte", "libelle"}, []string{"sens", "groupe", "confirme"})
	if err != nil {
		return nil, fmt.Errorf("lire le plan comptable : %w", err)
	}
	c := make(Chart, len(tab.Rows))
	var errs csvin.LineErrors
	for _, row := range tab.Rows {
		code := row.Get("compte")
		switch {
		case !ChargeAccount(code) && !ProductAccount(code):
			errs.Add(row.Line, "compte « %s » : un compte commence par 6 (charge) ou 7 (produit)", code)
		case c.Has(code):
			errs.Add(row.Line, "compte « %s » en double", code)
		default:
			c[code] = row.Get("libelle")
		}
	}
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("lire le plan comptable : %w", err)
	}
	return c, nil
}
