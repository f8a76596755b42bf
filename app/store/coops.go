package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/money"
)

// CoopFilter selects coops in the staff list.
type CoopFilter struct {
	Q      string // UAI, name or commune, case-insensitive
	Limit  int
	Offset int
}

// Coops lists the AD's coops matching f, ordered by name, with the total
// count before pagination.
func (a *ADScope) Coops(ctx context.Context, f CoopFilter) ([]Coop, int, error) {
	var out []Coop
	q := a.adSel(&out).Order("c.name", "c.uai")
	if s := strings.TrimSpace(f.Q); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lower(c.uai) LIKE ?", like).WhereOr("lower(c.name) LIKE ?", like).WhereOr("lower(c.commune) LIKE ?", like)
		})
	}
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list coops: %w", err)
	}
	return out, int(n), nil
}

// CoopByUAI returns the AD's coop with that UAI.
func (a *ADScope) CoopByUAI(ctx context.Context, uai string) (*Coop, error) {
	var co Coop
	if err := a.adSel(&co).Where("c.uai = ?", uai).Scan(ctx); err != nil {
		return nil, fmt.Errorf("coop by uai: %w", notFound(err))
	}
	return &co, nil
}

// CoopParams are the editable parameters of a coop.
type CoopParams struct {
	Name            string
	Address         string
	PostalCode      string
	Commune         string
	IBAN            string
	MandataireName  string
	MandataireEmail string
	Status          string
	BookMode        string
}

// UpdateCoop changes a coop's parameters and writes the change to the audit
// log with the previous values.
func (a *ADScope) UpdateCoop(ctx context.Context, coopID int64, p CoopParams) error {
	return a.Tx(ctx, func(tx *ADScope) error {
		cs, err := tx.Coop(ctx, coopID)
		if err != nil {
			return err
		}
		before, err := cs.Coop(ctx)
		if err != nil {
			return err
		}
		if p.BookMode != BookKept && p.BookMode != BookEntered {
			return fault.Invalidf("Mode de tenue inconnu : %q.", p.BookMode)
		}
		if p.Status != "active" && p.Status != "radiee" {
			return fault.Invalidf("Statut inconnu : %q.", p.Status)
		}
		_, err = tx.adUpd((*Coop)(nil)).
			Set("name = ?", p.Name).Set("address = ?", p.Address).Set("postal_code = ?", p.PostalCode).
			Set("commune = ?", p.Commune).Set("iban = ?", p.IBAN).Set("mandataire_name = ?", p.MandataireName).
			Set("mandataire_email = ?", p.MandataireEmail).Set("status = ?", p.Status).Set("book_mode = ?", p.BookMode).
			Set("updated_at = ?", tx.s.now().UTC()).
			Where("c.id = ?", coopID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update coop: %w", err)
		}
		// The login e-mail of the mandataire follows the coop's parameters.
		if _, err := cs.upd((*User)(nil)).Set("email = ?", p.MandataireEmail).Set("name = ?", p.MandataireName).
			Where("u.role = ?", RoleMandataire).Exec(ctx); err != nil {
			return fmt.Errorf("update coop user: %w", err)
		}
		return tx.Audit(ctx, &coopID, "coop.update", map[string]any{"avant": before, "apres": p})
	})
}

// CoopImport is one validated row of a coops CSV file.
type CoopImport struct {
	UAI         string
	Params      CoopParams
	OpeningBank money.Money
	OpeningCash money.Money
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created int `json:"crees"`
	Updated int `json:"mis_a_jour"`
}

// ImportCoops creates or updates (by UAI) the AD's coops and sets the
// opening balances of exercice, all in one transaction: either every row is
// written or none. A mandataire login (without password) is created for each
// new coop.
func (a *ADScope) ImportCoops(ctx context.Context, rows []CoopImport, exercice string) (ImportResult, error) {
	var res ImportResult
	err := a.Tx(ctx, func(tx *ADScope) error {
		now := tx.s.now().UTC()
		for _, r := range rows {
			var existing Coop
			err := tx.adSel(&existing).Where("c.uai = ?", r.UAI).Scan(ctx)
			var coopID int64
			switch {
			case err == nil:
				p := r.Params
				p.Status, p.BookMode = existing.Status, existing.BookMode
				if err := tx.UpdateCoop(ctx, existing.ID, p); err != nil {
					return err
				}
				coopID = existing.ID
				res.Updated++
			case notFound(err) == fault.ErrNotFound:
				co := &Coop{ADID: tx.id, UAI: r.UAI, Name: r.Params.Name, Address: r.Params.Address,
					PostalCode: r.Params.PostalCode, Commune: r.Params.Commune, IBAN: r.Params.IBAN,
					MandataireName: r.Params.MandataireName, MandataireEmail: r.Params.MandataireEmail,
					Status: "active", BookMode: BookKept, CreatedAt: now, UpdatedAt: now}
				if r.Params.BookMode != "" {
					co.BookMode = r.Params.BookMode
				}
				if _, err := tx.adIns(co).Exec(ctx); err != nil {
					return fmt.Errorf("import coop %s: %w", r.UAI, err)
				}
				coopID = co.ID
				u := &User{Role: RoleMandataire, CoopID: &coopID, Login: r.UAI, Email: r.Params.MandataireEmail,
					Name: r.Params.MandataireName, MustChange: true, CreatedAt: now}
				if _, err := tx.coopOf(coopID).ins(u).Exec(ctx); err != nil {
					if isUnique(err) {
						return fault.Invalidf("L'UAI %s est déjà utilisé comme identifiant dans une autre AD.", r.UAI)
					}
					return fmt.Errorf("import coop user %s: %w", r.UAI, err)
				}
				if err := tx.Audit(ctx, &coopID, "coop.create", r); err != nil {
					return err
				}
				res.Created++
			default:
				return fmt.Errorf("import coop %s: %w", r.UAI, err)
			}
			if err := tx.coopOf(coopID).SetOpening(ctx, exercice, r.OpeningBank, r.OpeningCash); err != nil {
				return fmt.Errorf("import coop %s: %w", r.UAI, err)
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// MaskIBAN shows the country, check digits and the last four characters.
func MaskIBAN(iban string) string {
	s := strings.ReplaceAll(iban, " ", "")
	if len(s) < 8 {
		return s
	}
	return s[:4] + " •••• •••• " + s[len(s)-4:]
}

// Staff lists the AD's staff and admin accounts.
func (a *ADScope) Staff(ctx context.Context) ([]User, error) {
	var out []User
	if err := a.adSel(&out).Where("u.role IN (?)", bun.In([]string{RoleStaff, RoleAdmin})).Order("u.name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return out, nil
}

// CreateStaff adds a staff or admin account to the AD (audited).
func (a *ADScope) CreateStaff(ctx context.Context, u *User) error {
	if u.Role != RoleStaff && u.Role != RoleAdmin {
		return fault.Invalidf("Rôle inconnu : %s.", u.Role)
	}
	u.ADID, u.CoopID = &a.id, nil
	u.CreatedAt = a.s.now().UTC()
	return a.Tx(ctx, func(tx *ADScope) error {
		if _, err := tx.adIns(u).Exec(ctx); err != nil {
			if isUnique(err) {
				return fault.Invalidf("Un compte existe déjà pour %s.", u.Login)
			}
			return fmt.Errorf("create staff: %w", err)
		}
		return tx.Audit(ctx, nil, "staff.create", map[string]any{"login": u.Login, "role": u.Role})
	})
}
