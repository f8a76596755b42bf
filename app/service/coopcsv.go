package service

import (
	"fmt"
	"io"
	"strings"

	"retkoop/app/csvin"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/uai"
)

// coopColumns are the contract's columns of the coops CSV file.
var coopColumns = []string{"uai", "nom", "adresse", "code_postal", "commune", "mandataire", "email", "iban", "solde_banque", "solde_caisse"}

// parseCoopsCSV reads a coops file (contract format) and returns every row
// validated, or every problem with its line number: nothing is half-read.
func ParseCoopsCSV(r io.Reader) ([]store.CoopImport, error) {
	rows, _, err := ParseCoopsLines(r)
	return rows, err
}

// parseCoopsLines is parseCoopsCSV with the line number of each row (the
// import preview names lines).
func ParseCoopsLines(r io.Reader) ([]store.CoopImport, []int, error) {
	t, err := csvin.Read(r, coopColumns, nil)
	if err != nil {
		return nil, nil, err
	}
	var errs csvin.LineErrors
	var out []store.CoopImport
	var lines []int
	seen := map[string]int{}
	for _, row := range t.Rows {
		u, err := uai.Validate(row.Get("uai"))
		if err != nil {
			errs.Add(row.Line, "%s", err.Error())
		} else if prev, dup := seen[u]; dup {
			errs.Add(row.Line, "l'UAI %s figure déjà ligne %d", u, prev)
		} else {
			seen[u] = row.Line
		}
		f := CoopFields{Name: row.Get("nom"), Address: row.Get("adresse"), PostalCode: row.Get("code_postal"),
			Commune: row.Get("commune"), IBAN: row.Get("iban"), MandataireName: row.Get("mandataire"),
			MandataireEmail: row.Get("email"), Status: "active", BookMode: store.BookKept}
		p, problems := f.Validate()
		for _, pb := range problems {
			errs.Add(row.Line, "%s", pb)
		}
		var bal [2]money.Money
		for i, col := range []string{"solde_banque", "solde_caisse"} {
			v := row.Get(col)
			if v == "" {
				continue
			}
			m, err := money.Parse(v)
			if err != nil {
				errs.Add(row.Line, "%s : %s", col, err.Error())
				continue
			}
			if col == "solde_caisse" && m < 0 {
				errs.Add(row.Line, "le solde de caisse ne peut pas être négatif (%s)", m)
			}
			bal[i] = m
		}
		out = append(out, store.CoopImport{UAI: u, Params: p, OpeningBank: bal[0], OpeningCash: bal[1]})
		lines = append(lines, row.Line)
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("le fichier ne contient aucune coopérative")
	}
	return out, lines, nil
}

// describeImport is the one-line summary printed by the CLI.
func DescribeImport(r store.ImportResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d coopérative(s) créée(s), %d mise(s) à jour", r.Created, r.Updated)
	return b.String()
}
