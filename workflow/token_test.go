package workflow

import (
	"regexp"
	"strings"
	"testing"
)

func TestTokenRoundTrip(t *testing.T) {
	secret := []byte("un secret de test assez long")
	shape := regexp.MustCompile(`^[a-z2-7]+$`)
	cases := []struct {
		coop, campaign int64
		maxLen         int
	}{
		{1, 1, 15},
		{1842, 12, 15},
		{50000, 300, 18},
		{1 << 40, 1 << 33, 28},
	}
	for _, c := range cases {
		tok := Token(secret, c.coop, c.campaign)
		if !shape.MatchString(tok) || len(tok) > c.maxLen {
			t.Errorf("Token(%d, %d) = %q: want lower-case base32 of at most %d characters", c.coop, c.campaign, tok, c.maxLen)
		}
		coop, campaign, ok := ParseToken(secret, tok)
		if !ok || coop != c.coop || campaign != c.campaign {
			t.Errorf("ParseToken(%q) = %d, %d, %v", tok, coop, campaign, ok)
		}
		if coop, campaign, ok := ParseToken(secret, strings.ToUpper(tok)); !ok || coop != c.coop || campaign != c.campaign {
			t.Errorf("upper-cased token refused")
		}
	}
	if Token(secret, 1, 2) == Token(secret, 2, 1) {
		t.Error("swapped ids give the same token")
	}
}

func TestTokenRejects(t *testing.T) {
	secret := []byte("un secret de test assez long")
	good := Token(secret, 1842, 12)
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return string(b)
	}
	cases := []struct {
		name   string
		secret []byte
		token  string
	}{
		{"other secret", []byte("autre secret"), good},
		{"empty secret", nil, Token(nil, 1842, 12)},
		{"first character changed", secret, flip(good, 0)},
		{"last character changed", secret, flip(good, len(good)-1)},
		{"truncated", secret, good[:len(good)-1]},
		{"extended", secret, good + "a"},
		{"empty", secret, ""},
		{"not base32", secret, "documents-1842"},
		{"padding", secret, good + "="},
		{"zero id", secret, Token(secret, 0, 12)},
		{"negative id", secret, Token(secret, -5, 12)},
	}
	for _, c := range cases {
		if coop, campaign, ok := ParseToken(c.secret, c.token); ok {
			t.Errorf("%s: ParseToken(%q) = %d, %d, accepted", c.name, c.token, coop, campaign)
		}
	}
}
