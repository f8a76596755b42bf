// Package auth holds password hashing (argon2id), random password
// generation and login throttling. No HTTP, no SQL.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"retkoop/app/uai"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters; OWASP's recommended minimum
// (19 MiB, 2 passes, 1 lane) keeps a login around 30 ms on the 2-core VMs.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams is used for every new hash.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Hash returns an encoded argon2id hash of password with a random salt,
// in the PHC string format.
func Hash(password string) (string, error) { return HashWith(password, DefaultParams) }

// HashWith hashes with explicit parameters (tests use cheap ones).
func HashWith(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMismatch is returned by Verify for a wrong password.
var ErrMismatch = errors.New("mot de passe incorrect")

// Verify checks password against an encoded hash in constant time.
func Verify(encoded, password string) error {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ErrMismatch
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// alphabet avoids characters that are confused when a password is read
// from a printed letter (0/O, 1/l/I).
const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// Generate returns a random password of n characters from crypto/rand,
// grouped by 4 with dashes for readability ("x7Kq-p3Zm-…"). Never a pattern.
func Generate(n int) string {
	var b strings.Builder
	max := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on Linux
		}
		b.WriteByte(alphabet[k.Int64()])
	}
	return b.String()
}

// CheckNew validates a new password chosen by a user; the message is French.
func CheckNew(password, login string) error {
	if utf8.RuneCountInString(password) < 10 {
		return errors.New("Le mot de passe doit comporter au moins 10 caractères.")
	}
	if utf8.RuneCountInString(password) > 200 {
		return errors.New("Le mot de passe est trop long (200 caractères au plus).")
	}
	if login != "" && strings.Contains(strings.ToLower(password), strings.ToLower(login)) {
		return errors.New("Le mot de passe ne doit pas contenir votre identifiant.")
	}
	return nil
}

// NormalizeLogin turns what a person typed into the stored login: an
// e-mail in lower case, a UAI trimmed and upper-cased ("0310036w" works).
func NormalizeLogin(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		return strings.ToLower(s)
	}
	return uai.Normalize(s)
}

// Issue makes a new random password and its hash: what a password letter,
// a staff reset or `retkoop user password` gives a user, who must change it
// at the first login.
func Issue(p Params) (password, hash string, err error) {
	password = Generate(12)
	hash, err = HashWith(password, p)
	if err != nil {
		return "", "", err
	}
	return password, hash, nil
}
