package service

import (
	"net/mail"
	"strings"

	"retkoop/app/iban"
	"retkoop/app/store"
)

// coopFields are a coop's parameters as typed in a form or a CSV row.
type CoopFields struct {
	Name, Address, PostalCode, Commune, IBAN, MandataireName, MandataireEmail, Status, BookMode string
}

// validate normalises the fields and returns the parameters, or the list of
// French problems (every one, not only the first).
func (f CoopFields) Validate() (store.CoopParams, []string) {
	var errs []string
	p := store.CoopParams{
		Name: strings.TrimSpace(f.Name), Address: strings.TrimSpace(f.Address),
		PostalCode: strings.TrimSpace(f.PostalCode), Commune: strings.TrimSpace(f.Commune),
		MandataireName: strings.TrimSpace(f.MandataireName), MandataireEmail: strings.ToLower(strings.TrimSpace(f.MandataireEmail)),
		Status: f.Status, BookMode: f.BookMode,
	}
	if p.Name == "" {
		errs = append(errs, "le nom de la coopérative est obligatoire")
	}
	if len(p.Name) > 200 || len(p.Address) > 300 || len(p.Commune) > 100 || len(p.MandataireName) > 200 {
		errs = append(errs, "un des champs est trop long")
	}
	if p.PostalCode != "" && (len(p.PostalCode) != 5 || strings.Trim(p.PostalCode, "0123456789") != "") {
		errs = append(errs, "le code postal « "+p.PostalCode+" » doit comporter 5 chiffres")
	}
	if p.MandataireEmail != "" {
		if a, err := mail.ParseAddress(p.MandataireEmail); err != nil || a.Address != p.MandataireEmail {
			errs = append(errs, "l'adresse e-mail « "+p.MandataireEmail+" » est invalide")
		}
	}
	if strings.TrimSpace(f.IBAN) != "" {
		v, err := iban.Validate(f.IBAN)
		if err != nil {
			errs = append(errs, err.Error())
		}
		p.IBAN = v
	}
	return p, errs
}
