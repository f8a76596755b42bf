package workflow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"math"
	"strings"
)

// tokenMACSize is the length of the truncated HMAC in a token: 48 bits make
// guessing a valid token for a given coop hopeless by e-mail, while keeping
// the address short.
const tokenMACSize = 6

// tokenDomain separates these MACs from any other use of the same secret.
const tokenDomain = "retkoop/reply-to/v1\x00"

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Token returns the Reply-To token of a coop's reminders for a campaign,
// used as documents+<token>@domain so that a reply with attachments files
// itself. It is lower-case base32 (safe in an e-mail local part and a URL),
// 15 to 18 characters for usual ids: both ids as varints and a truncated
// HMAC-SHA256 under secret. Ids must be positive.
func Token(secret []byte, coopID, campaignID int64) string {
	payload := binary.AppendUvarint(nil, uint64(coopID))
	payload = binary.AppendUvarint(payload, uint64(campaignID))
	return tokenEncoding.EncodeToString(append(payload, tokenMAC(secret, payload)...))
}

// ParseToken checks a token made by Token with the same secret and returns
// its ids. Case does not matter, since some mail systems change it. ok is
// false for anything else, and always with an empty secret so that an
// unconfigured app accepts no token.
func ParseToken(secret []byte, token string) (coopID, campaignID int64, ok bool) {
	if len(secret) == 0 {
		return 0, 0, false
	}
	token = strings.ToLower(strings.TrimSpace(token))
	raw, err := tokenEncoding.DecodeString(token)
	// Re-encoding rejects the variants that differ only in unused
	// trailing bits, so a token has one spelling.
	if err != nil || tokenEncoding.EncodeToString(raw) != token {
		return 0, 0, false
	}
	coop, n := binary.Uvarint(raw)
	if n <= 0 {
		return 0, 0, false
	}
	campaign, m := binary.Uvarint(raw[n:])
	if m <= 0 || len(raw[n+m:]) != tokenMACSize {
		return 0, 0, false
	}
	if !hmac.Equal(raw[n+m:], tokenMAC(secret, raw[:n+m])) {
		return 0, 0, false
	}
	if coop == 0 || campaign == 0 || coop > math.MaxInt64 || campaign > math.MaxInt64 {
		return 0, 0, false
	}
	return int64(coop), int64(campaign), true
}

func tokenMAC(secret, payload []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(tokenDomain))
	mac.Write(payload)
	return mac.Sum(nil)[:tokenMACSize]
}
