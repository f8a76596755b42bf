package store

import (
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/money"
)

// AD is a departmental association (tenant).
type AD struct {
	bun.BaseModel `bun:"table:ads,alias:ad"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Code      string    `bun:"code"`
	Name      string    `bun:"name"`
	IDScheme  string    `bun:"id_scheme"`
	Settings  string    `bun:"settings"`
	CreatedAt time.Time `bun:"created_at"`
}

// Coop is a coopérative scolaire, a section of its AD.
type Coop struct {
	bun.BaseModel `bun:"table:coops,alias:c"`

	ID              int64     `bun:"id,pk,autoincrement"`
	ADID            int64     `bun:"ad_id"`
	UAI             string    `bun:"uai"`
	Name            string    `bun:"name"`
	Address         string    `bun:"address"`
	PostalCode      string    `bun:"postal_code"`
	Commune         string    `bun:"commune"`
	IBAN            string    `bun:"iban"`
	MandataireName  string    `bun:"mandataire_name"`
	MandataireEmail string    `bun:"mandataire_email"`
	Status          string    `bun:"status"`
	BookMode        string    `bun:"book_mode"` // "cahier" or "saisie"
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

// Book modes of a coop.
const (
	BookKept    = "cahier" // the book is kept in the app
	BookEntered = "saisie" // the CRF is entered directly
)

// Roles of a user.
const (
	RoleMandataire = "mandataire"
	RoleStaff      = "staff"
	RoleAdmin      = "admin"
	RoleNational   = "national"
)

// User is a login: a mandataire (one coop), AD staff or admin (one AD), or
// a national admin.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID                int64     `bun:"id,pk,autoincrement"`
	Role              string    `bun:"role"`
	ADID              *int64    `bun:"ad_id"`
	CoopID            *int64    `bun:"coop_id"`
	Login             string    `bun:"login"`
	Email             string    `bun:"email"`
	Name              string    `bun:"name"`
	PasswordHash      string    `bun:"password_hash"`
	MustChange        bool      `bun:"must_change"`
	Disabled          bool      `bun:"disabled"`
	CreatedAt         time.Time `bun:"created_at"`
	PasswordChangedAt time.Time `bun:"password_changed_at,nullzero"`
}

// IsStaff reports whether the user works for an AD (staff or admin).
func (u *User) IsStaff() bool { return u.Role == RoleStaff || u.Role == RoleAdmin }

// Session is a server-side login session; the cookie holds a random token
// whose SHA-256 is the id.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID        string    `bun:"id,pk"`
	UserID    int64     `bun:"user_id"`
	CSRF      string    `bun:"csrf"`
	CreatedAt time.Time `bun:"created_at"`
	LastSeen  time.Time `bun:"last_seen"`
	ExpiresAt time.Time `bun:"expires_at"`

	// User is loaded with the session in one query (every request).
	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// Exercice is a coop's school year (1 Sept → 31 Aug).
type Exercice struct {
	bun.BaseModel `bun:"table:exercices,alias:e"`

	ID          int64       `bun:"id,pk,autoincrement"`
	CoopID      int64       `bun:"coop_id"`
	Name        string      `bun:"name"`
	OpeningBank money.Money `bun:"opening_bank"`
	OpeningCash money.Money `bun:"opening_cash"`
	State       string      `bun:"state"`
	BookRev     int64       `bun:"book_rev"` // raised by every write of the book's operations
	ClosedAt    time.Time   `bun:"closed_at,nullzero"`
	CreatedAt   time.Time   `bun:"created_at"`
}

// Exercice states.
const (
	ExerciceOpen   = "ouvert"
	ExerciceClosed = "clos"
)

// Account is one account of an AD's chart.
type Account struct {
	bun.BaseModel `bun:"table:accounts,alias:a"`

	ID        int64  `bun:"id,pk,autoincrement"`
	ADID      int64  `bun:"ad_id"`
	Code      string `bun:"code"`
	Label     string `bun:"label"`
	Sense     string `bun:"sense"` // "charge" or "produit"
	Group     string `bun:"grp"`
	Confirmed bool   `bun:"confirmed"`
}

// AuditEntry is one append-only audit row.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID     int64     `bun:"id,pk,autoincrement"`
	At     time.Time `bun:"at"`
	UserID *int64    `bun:"user_id"`
	ADID   *int64    `bun:"ad_id"`
	CoopID *int64    `bun:"coop_id"`
	Action string    `bun:"action"`
	Detail string    `bun:"detail"`
}
