package mail

import (
	"crypto/sha256"
	"encoding/hex"
	netmail "net/mail"
	"net/url"
	"strings"
	"time"
)

// Delivery policy.
const (
	// RateMax mails per AD per RateWindow: an AD's 2,000 coops get their
	// reminders within two hours without the relay taking the app for a
	// spammer.
	RateMax    = 200
	RateWindow = 10 * time.Minute
	// GiveUpAfter: a mail still refused temporarily this long after it was
	// queued is marked failed, so that the staff see it.
	GiveUpAfter = 72 * time.Hour
)

// Backoff is the wait before the next attempt after attempts failed ones:
// 1, 2, 4, 8… minutes, at most one hour.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 7 {
		return time.Hour
	}
	return min(time.Minute<<(attempts-1), time.Hour)
}

// Remaining is how many more mails an AD may send now, given how many went
// out during the last RateWindow.
func Remaining(sentInWindow int) int { return max(RateMax-sentInWindow, 0) }

// MessageID derives a mail's Message-ID (without angle brackets) from its
// outbox key: every attempt of one mail carries the same id.
func MessageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "retkoop.invalid"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "retkoop." + hex.EncodeToString(sum[:16]) + "@" + domain
}

// ReplyAddress is the Reply-To of a coop's reminder: the mailbox's local
// part, "+", the token, at its domain (documents+TOKEN@occe31.example).
// Without a mailbox it is "" and the caller falls back to the AD's address.
func ReplyAddress(mailbox, token string) string {
	local, domain, ok := strings.Cut(strings.TrimSpace(mailbox), "@")
	if !ok || local == "" || domain == "" || token == "" {
		return ""
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "+" + token + "@" + domain
}

// MailboxFromIMAPURL returns the published address of the mailbox that
// RETKOOP_IMAP_URL polls: its &address= parameter, else its user name when
// that is an e-mail address, else "".
func MailboxFromIMAPURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return ""
	}
	if a := u.Query().Get("address"); strings.Contains(a, "@") {
		return a
	}
	if u.User != nil && strings.Contains(u.User.Username(), "@") {
		return u.User.Username()
	}
	return ""
}

// Address returns the bare address of a "Name <addr>" string, or s when it
// does not parse.
func Address(s string) string {
	if a, err := netmail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}
