package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

type bunTx = bun.Tx

// System is the cross-tenant handle: seeding, imports by AD code, the
// mail-in sink, the reminder scheduler, backups. `git grep System()` lists
// every place that crosses tenants.
type System struct{ s *DB }

// System returns the cross-tenant handle.
func (s *DB) System() *System { return &System{s: s} }

// ad returns the AD handle of an AD for the system's per-AD work (no
// user): its queries go through the ADScope helpers like a staff's.
func (y *System) ad(adID int64) *ADScope { return &ADScope{s: y.s, db: y.s.db, id: adID} }

// ADByCode returns the AD with that code ("31").
func (y *System) ADByCode(ctx context.Context, code string) (*AD, error) {
	var ad AD
	if err := y.s.db.NewSelect().Model(&ad).Where("code = ?", code).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad %s: %w", code, notFound(err))
	}
	return &ad, nil
}

// ADs lists every AD.
func (y *System) ADs(ctx context.Context) ([]AD, error) {
	var out []AD
	if err := y.s.db.NewSelect().Model(&out).Order("code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list ads: %w", err)
	}
	return out, nil
}

// EnsureAD creates the AD if it does not exist and returns it.
func (y *System) EnsureAD(ctx context.Context, code, name string) (*AD, error) {
	ad, err := y.ADByCode(ctx, code)
	if err == nil {
		return ad, nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	ad = &AD{Code: code, Name: name, IDScheme: "uai", Settings: "{}", CreatedAt: y.s.now().UTC()}
	if _, err := y.s.db.NewInsert().Model(ad).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create ad: %w", err)
	}
	return ad, nil
}

// SeedChart inserts the accounts the AD does not have yet (existing codes
// are left as the AD edited them).
func (y *System) SeedChart(ctx context.Context, adID int64, accounts []Account) error {
	for i := range accounts {
		accounts[i].ADID = adID
	}
	if len(accounts) == 0 {
		return nil
	}
	_, err := y.s.db.NewInsert().Model(&accounts).On("CONFLICT (ad_id, code) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("seed chart: %w", err)
	}
	return nil
}

// UserByLogin is Auth().UserByLogin for command-line tools.
func (y *System) UserByLogin(ctx context.Context, login string) (*User, error) {
	return y.s.Auth().UserByLogin(ctx, login)
}

// CreateUser inserts a user (staff, admin, national; mandataires come with
// their coop). The login is normalised: e-mails lower-case.
func (y *System) CreateUser(ctx context.Context, u *User) error {
	u.Login = strings.TrimSpace(u.Login)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = y.s.now().UTC()
	}
	if _, err := y.s.db.NewInsert().Model(u).Exec(ctx); err != nil {
		if isUnique(err) {
			return fmt.Errorf("create user: l'identifiant %s existe déjà", u.Login)
		}
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// BulkImportCoops creates the coops (and their mandataire logins and
// exercice) that do not exist yet, in chunks, in one transaction; existing
// UAIs are left untouched. It serves the demo and benchmark generator,
// where thousands of coops must be created in seconds.
func (y *System) BulkImportCoops(ctx context.Context, adID int64, rows []CoopImport, exercice string) (int, error) {
	created := 0
	err := y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := y.s.now().UTC()
		const chunk = 400
		for start := 0; start < len(rows); start += chunk {
			end := min(start+chunk, len(rows))
			coops := make([]Coop, 0, end-start)
			uais := make([]string, 0, end-start)
			for _, r := range rows[start:end] {
				mode := r.Params.BookMode
				if mode == "" {
					mode = BookKept
				}
				coops = append(coops, Coop{ADID: adID, UAI: r.UAI, Name: r.Params.Name, Address: r.Params.Address,
					PostalCode: r.Params.PostalCode, Commune: r.Params.Commune, IBAN: r.Params.IBAN,
					MandataireName: r.Params.MandataireName, MandataireEmail: r.Params.MandataireEmail,
					Status: "active", BookMode: mode, CreatedAt: now, UpdatedAt: now})
				uais = append(uais, r.UAI)
			}
			res, err := tx.NewInsert().Model(&coops).On("CONFLICT (ad_id, uai) DO NOTHING").Exec(ctx)
			if err != nil {
				return fmt.Errorf("bulk coops: %w", err)
			}
			n, _ := res.RowsAffected()
			created += int(n)
			var ids []struct {
				ID  int64  `bun:"id"`
				UAI string `bun:"uai"`
			}
			if err := tx.NewSelect().Table("coops").Column("id", "uai").Where("ad_id = ? AND uai IN (?)", adID, bun.In(uais)).Scan(ctx, &ids); err != nil {
				return fmt.Errorf("bulk coops ids: %w", err)
			}
			byUAI := map[string]int64{}
			for _, r := range ids {
				byUAI[r.UAI] = r.ID
			}
			users := make([]User, 0, end-start)
			exs := make([]Exercice, 0, end-start)
			for _, r := range rows[start:end] {
				id := byUAI[r.UAI]
				users = append(users, User{Role: RoleMandataire, CoopID: &id, Login: r.UAI, Email: r.Params.MandataireEmail,
					Name: r.Params.MandataireName, MustChange: true, CreatedAt: now})
				exs = append(exs, Exercice{CoopID: id, Name: exercice, OpeningBank: r.OpeningBank, OpeningCash: r.OpeningCash,
					State: ExerciceOpen, CreatedAt: now})
			}
			if _, err := tx.NewInsert().Model(&users).On("CONFLICT (login) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("bulk users: %w", err)
			}
			if _, err := tx.NewInsert().Model(&exs).On("CONFLICT (coop_id, name) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("bulk exercices: %w", err)
			}
		}
		return nil
	})
	return created, err
}

// AuditCount counts a coop's audit rows of one action (tests, checks).
func (y *System) AuditCount(ctx context.Context, coopID int64, action string) (int, error) {
	n, err := y.s.db.NewSelect().Table("audit_log").Where("coop_id = ? AND action = ?", coopID, action).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit count: %w", err)
	}
	return int(n), nil
}
