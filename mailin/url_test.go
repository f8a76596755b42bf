package mailin

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want Mailbox
		err  string
	}{
		{raw: "imaps://documents%40occe31.fr:p%40ss@mail.occe31.fr/INBOX",
			want: Mailbox{Addr: "mail.occe31.fr:993", Username: "documents@occe31.fr", Password: "p@ss", Name: "INBOX", TLS: TLSImplicit, Processed: "Traites"}},
		{raw: "imap://u:p@mail.example.org/INBOX?tls=starttls&processed=Archives/Traites",
			want: Mailbox{Addr: "mail.example.org:143", Username: "u", Password: "p", Name: "INBOX", TLS: TLSStartTLS, Processed: "Archives/Traites"}},
		{raw: "imap://u:p@mail.example.org:1143",
			want: Mailbox{Addr: "mail.example.org:1143", Username: "u", Password: "p", Name: "INBOX", TLS: TLSStartTLS, Processed: "Traites"}},
		{raw: "imap://u:p@127.0.0.1:3143/Documents%20re%C3%A7us?tls=none&address=Documents@OCCE31.fr",
			want: Mailbox{Addr: "127.0.0.1:3143", Username: "u", Password: "p", Name: "Documents reçus", TLS: TLSNone, Processed: "Traites", Address: "documents@occe31.fr"}},
		{raw: "imap://u:p@[::1]:3143/INBOX?tls=none",
			want: Mailbox{Addr: "[::1]:3143", Username: "u", Password: "p", Name: "INBOX", TLS: TLSNone, Processed: "Traites"}},
		{raw: "imap://u:p@localhost/INBOX?tls=none",
			want: Mailbox{Addr: "localhost:143", Username: "u", Password: "p", Name: "INBOX", TLS: TLSNone, Processed: "Traites"}},
		{raw: "imap://u:p@mail.example.org/INBOX?tls=none", err: "only allowed on a loopback host"},
		{raw: "imap://u:p@10.0.0.1/INBOX?tls=none", err: "only allowed on a loopback host"},
		{raw: "imaps://u:p@mail.example.org/INBOX?tls=none", err: "imaps:// cannot use tls=none"},
		{raw: "imap://u:p@mail.example.org/INBOX?tls=ssl3", err: "want tls, starttls or none"},
		{raw: "imap://u:p@mail.example.org/INBOX?proccessed=X", err: "unknown parameter"},
		{raw: "pop3://u:p@mail.example.org/", err: "want imaps or imap"},
		{raw: "imaps://mail.example.org/INBOX", err: "missing user name"},
		{raw: "imaps://u:p@/INBOX", err: "missing host"},
		{raw: "imaps://u:p@mail.example.org:99999/INBOX", err: "bad port"},
		{raw: "imaps://u:p@mail.example.org/Traites", err: "is the polled mailbox"},
		{raw: "imaps://u:secret@mail example.org/", err: "malformed URL"},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseURL(%q) error = %v, want %q", tt.raw, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks the password: %v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

func TestMailboxKeyHasNoPassword(t *testing.T) {
	m, err := ParseURL("imaps://documents%40occe31.fr:hunter2@mail.occe31.fr/INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if k := m.Key(); strings.Contains(k, "hunter2") || k != "imap://documents@occe31.fr@mail.occe31.fr:993/INBOX" {
		t.Errorf("key = %q", k)
	}
	if m.tokenLocal() != "documents" {
		t.Errorf("token local = %q", m.tokenLocal())
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"25MB": 25 << 20, "25 Mo": 25 << 20, "512kb": 512 << 10, "1G": 1 << 30, "1048576": 1 << 20, "100B": 100} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "-5MB", "0", "25TB", "2.5MB", "99999999G"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.3.2.1": true, "::1": true,
		"::ffff:127.0.0.1": true,
		"":                 false, "localhost.": false, "[::1]": false, "127.0.0.1:143": false,
		"mail.example.org": false, "10.0.0.1": false, "::": false, "localhost.example.org": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
