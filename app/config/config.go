// Package config reads retkoop's configuration from the environment once,
// at start, and validates it (every problem is listed, in French).
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"retkoop/mailin"
)

// Config is the whole configuration, read once from the environment.
type Config struct {
	Database      string
	DataDir       string
	Addr          string
	BaseURL       *url.URL
	baseURLSet    bool // RETKOOP_BASE_URL was given
	Secret        []byte
	SMTPURL       string
	MailFrom      string
	IMAPURL       string
	IMAPInterval  time.Duration
	MaxAttachment int64
}

// BrowseURL is where a person on this machine opens the app: the base URL
// when it was configured, otherwise the listen address (a demo started with
// PORT=9000 must not send people to :8080).
func (c *Config) BrowseURL() string {
	if c.baseURLSet {
		return c.BaseURL.String()
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return c.BaseURL.String()
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// SecureCookies reports whether cookies get the Secure flag (https base URL).
func (c *Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// LoadConfig reads the RETKOOP_* variables (see the contract), applies the
// defaults and validates everything, returning every problem at once.
func LoadConfig(getenv func(string) string) (*Config, error) {
	var errs []error
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		Database: get("RETKOOP_DATABASE", "sqlite:data/retkoop.db"),
		DataDir:  get("RETKOOP_DATA_DIR", "data"),
		SMTPURL:  get("RETKOOP_SMTP_URL", ""),
		MailFrom: get("RETKOOP_MAIL_FROM", "OCCE <no-reply@localhost>"),
		IMAPURL:  get("RETKOOP_IMAP_URL", ""),
	}
	c.Addr = get("RETKOOP_ADDR", "")
	if c.Addr == "" {
		if p := get("PORT", ""); p != "" {
			c.Addr = ":" + p
		} else {
			c.Addr = "127.0.0.1:8080"
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("RETKOOP_ADDR %q : adresse d'écoute invalide (ex. 127.0.0.1:8080)", c.Addr))
	}
	if !strings.HasPrefix(c.Database, "sqlite:") && !strings.HasPrefix(c.Database, "postgres://") && !strings.HasPrefix(c.Database, "postgresql://") {
		errs = append(errs, fmt.Errorf("RETKOOP_DATABASE %q : attendu sqlite:CHEMIN ou postgres://…", c.Database))
	}
	base, err := url.Parse(get("RETKOOP_BASE_URL", "http://127.0.0.1:8080"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		errs = append(errs, fmt.Errorf("RETKOOP_BASE_URL %q : URL http(s) absolue attendue", getenv("RETKOOP_BASE_URL")))
		base, _ = url.Parse("http://127.0.0.1:8080")
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	c.BaseURL = base
	c.baseURLSet = strings.TrimSpace(getenv("RETKOOP_BASE_URL")) != ""
	iv, err := time.ParseDuration(get("RETKOOP_IMAP_INTERVAL", "60s"))
	if err != nil || iv < time.Second {
		errs = append(errs, fmt.Errorf("RETKOOP_IMAP_INTERVAL %q : durée invalide (ex. 60s, 5m)", getenv("RETKOOP_IMAP_INTERVAL")))
		iv = time.Minute
	}
	c.IMAPInterval = iv
	max, err := mailin.ParseSize(get("RETKOOP_MAX_ATTACHMENT", "25MB"))
	if err != nil {
		errs = append(errs, fmt.Errorf("RETKOOP_MAX_ATTACHMENT : %w", err))
	}
	c.MaxAttachment = max
	if c.SMTPURL != "" {
		if err := ValidateMailURL(c.SMTPURL, "smtp", "RETKOOP_SMTP_URL"); err != nil {
			errs = append(errs, err)
		}
	}
	if c.IMAPURL != "" {
		if err := ValidateMailURL(c.IMAPURL, "imap", "RETKOOP_IMAP_URL"); err != nil {
			errs = append(errs, err)
		}
	}
	if s := getenv("RETKOOP_SECRET"); s != "" {
		if len(s) < 32 {
			errs = append(errs, errors.New("RETKOOP_SECRET : au moins 32 caractères"))
		}
		c.Secret = []byte(s)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("configuration invalide :\n  - %w", joinLines(errs))
	}
	return c, nil
}

func joinLines(errs []error) error {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Error()
	}
	return errors.New(strings.Join(parts, "\n  - "))
}

// validateMailURL checks a smtp:// or imap(s):// URL; a plain connection is
// allowed only to a loopback host.
func ValidateMailURL(raw, kind, name string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s : URL invalide", name)
	}
	okSchemes := map[string][]string{"smtp": {"smtp", "smtps"}, "imap": {"imap", "imaps"}}[kind]
	valid := false
	for _, s := range okSchemes {
		valid = valid || u.Scheme == s
	}
	if !valid {
		return fmt.Errorf("%s : schéma %q non pris en charge (%s)", name, u.Scheme, strings.Join(okSchemes, ", "))
	}
	if u.Query().Get("tls") == "none" && !mailin.IsLoopback(u.Hostname()) {
		return fmt.Errorf("%s : tls=none n'est permis que vers une adresse locale (127.0.0.1, localhost)", name)
	}
	return nil
}

// EnsureSecret loads the signing secret from RETKOOP_SECRET or from the
// data directory, generating it there the first time.
func (c *Config) EnsureSecret() error {
	if len(c.Secret) > 0 {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("ensure secret: %w", err)
	}
	path := filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.Secret = []byte(strings.TrimSpace(string(b)))
		return nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return fmt.Errorf("ensure secret: %w", err)
	}
	s := hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return fmt.Errorf("ensure secret: %w", err)
	}
	c.Secret = []byte(s)
	return nil
}
