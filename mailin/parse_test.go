package mailin

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func parseGolden(t *testing.T, name string) *Message {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := parseMessage(f, t.TempDir(), DefaultMaxAttachment)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return msg
}

// TestParseGolden reads what real clients send: encodings of subjects and
// file names, inline PDFs, forwarded messages, logos.
func TestParseGolden(t *testing.T) {
	type doc struct{ name, contentType, rejected string }
	tests := []struct {
		file      string
		subject   string
		from      string
		messageID string
		text      string // a substring of the text body
		docs      []doc
	}{
		{"gmail.eml", "Quitus coop école Jean Jaurès 0310036W", "marie.dupont@gmail.com",
			"<CAF7h3kQx9Lr2mN5pZ8vT1wYb6cD4eG0sH+jK2lM3nO4pQ5rS6t@mail.gmail.com>", "quitus signé",
			[]doc{{"quitus_2025-2026.pdf", "application/pdf", ""}}},
		{"outlook.eml", "Relevé de compte août", "j.martin@orange.fr",
			"<PR3P192MB0891A2B3C4D5E6F7A8B9C0D1E2F3@PR3P192MB0891.EURP192.PROD.OUTLOOK.COM>", "relevé de compte au 31 août",
			[]doc{{"Relevé août 2026.pdf", "application/pdf", ""}}},
		{"apple_mail.eml", "Documents de fin d'exercice", "claire.petit@wanadoo.fr",
			"<9A8B7C6D-5E4F-4321-ABCD-EF0123456789@wanadoo.fr>", "RNE 0310999T",
			[]doc{{"Scan PV commission de contrôle.pdf", "application/pdf", ""}}},
		{"thunderbird.eml", "coop 0312345f : justificatif", "luc.moreau@laposte.net",
			"<3f2e1d0c-9b8a-4765-8432-10fedcba9876@laposte.net>", "justificatif demandé",
			[]doc{{"notification subvention mairie été 2025.pdf", "application/pdf", ""}}},
		{"iphone_heic.eml", "Photo", "sophie.bernard@icloud.com",
			"<1B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E@icloud.com>", "Envoyé de mon iPhone",
			[]doc{{"IMG_0042.HEIC", "image/heic", ""}}},
		{"forwarded.eml", "TR: subvention de la commune", "j.martin@orange.fr",
			"<fwd-7781@orange.fr>", "arrêté attribuant une aide",
			[]doc{{"arrete_2025_118.pdf", "application/pdf", ""}}},
		{"reply_token.eml", "Re: Rappel : documents manquants pour 2025-2026", "ce.0312345f@ac-toulouse.fr",
			"<reply-5521@ac-toulouse.fr>", "voici le relevé demandé",
			[]doc{{"scan0001.pdf", "application/pdf", ""}}},
		{"signature_only.eml", "Question", "paul.roux@free.fr", "<sig-1@free.fr>", "quand faut-il envoyer", nil},
		{"fake_pdf.eml", "quitus 0310036W", "marie.dupont@gmail.com", "<fake-pdf-1@mail.gmail.com>", "Le quitus.",
			[]doc{{"quitus.pdf", "text/html", "« quitus.pdf » n'est pas un PDF ni une image JPEG, PNG ou HEIC (contenu reconnu : text/html)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			msg := parseGolden(t, tt.file)
			if msg.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", msg.Subject, tt.subject)
			}
			if msg.From != tt.from {
				t.Errorf("from = %q, want %q", msg.From, tt.from)
			}
			if msg.MessageID != tt.messageID {
				t.Errorf("message-id = %q, want %q", msg.MessageID, tt.messageID)
			}
			if !strings.Contains(msg.Text, tt.text) {
				t.Errorf("text %q does not contain %q", msg.Text, tt.text)
			}
			if len(msg.Documents) != len(tt.docs) {
				t.Fatalf("documents = %+v, want %d", msg.Documents, len(tt.docs))
			}
			for i, want := range tt.docs {
				d := msg.Documents[i]
				if d.Name != want.name || d.ContentType != want.contentType || d.Rejected != want.rejected {
					t.Errorf("document %d = %q %q %q, want %q %q %q", i, d.Name, d.ContentType, d.Rejected, want.name, want.contentType, want.rejected)
				}
				if want.rejected != "" {
					if d.Path != "" {
						t.Errorf("rejected file kept at %s", d.Path)
					}
					continue
				}
				b, err := os.ReadFile(d.Path)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				if hex.EncodeToString(sum[:]) != d.SHA256 || int64(len(b)) != d.Size {
					t.Errorf("sha256/size of the spooled file do not match the document's")
				}
			}
		})
	}
}

func TestParseRecipientsKeepTokenCase(t *testing.T) {
	msg := parseGolden(t, "reply_token.eml")
	if !slices.Contains(msg.Recipients, "documents+k7Hq2mZp@occe31.test") {
		t.Errorf("recipients = %v", msg.Recipients)
	}
}

func TestParseForwardedSubject(t *testing.T) {
	msg := parseGolden(t, "forwarded.eml")
	if !strings.Contains(msg.forwarded, "Arrêté d'attribution") {
		t.Errorf("forwarded subjects = %q", msg.forwarded)
	}
}

func TestParseLimits(t *testing.T) {
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 3000)
	raw := "From: a@b.test\r\nSubject: big\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=big.pdf\r\n\r\n" + pdf + "\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=copy.pdf\r\n\r\n" + pdf + "\r\n--b--\r\n"
	dir := t.TempDir()
	msg, err := parseMessage(strings.NewReader(raw), dir, 1000)
	if err != nil {
		t.Fatal(err)
	}
	// Over the limit: rejected with the real size, file gone.
	if len(msg.Documents) != 2 || msg.Documents[0].Rejected == "" || msg.Documents[0].Size != int64(len(pdf)) {
		t.Fatalf("documents = %+v", msg.Documents)
	}
	if !strings.Contains(msg.Documents[0].Rejected, "au-delà de la limite") {
		t.Errorf("reason = %q", msg.Documents[0].Rejected)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("rejected files left on disk: %v", left)
	}

	// Under the limit: the same file attached twice is one document.
	msg, err = parseMessage(strings.NewReader(raw), t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Documents) != 1 || msg.Documents[0].Name != "big.pdf" {
		t.Errorf("documents = %+v", msg.Documents)
	}
}

func TestParseImageRules(t *testing.T) {
	big := strings.Repeat("\x89PNG\r\n\x1a\n", 1) + strings.Repeat("z", 20<<10)
	tiny := "\x89PNG\r\n\x1a\n" + strings.Repeat("z", 2<<10)
	part := func(name, cid, body string) string {
		h := "--b\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=" + name + "\r\n"
		if cid != "" {
			h += "Content-ID: <" + cid + ">\r\n"
		}
		return h + "\r\n" + body + "\r\n"
	}
	raw := "From: a@b.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:sig@x\">\r\n" +
		part("sig.png", "sig@x", big) + // drawn by the HTML: signature
		part("icon.png", "", tiny) + // tiny: icon
		part("photo.png", "photo@x", big+"different") + // has a Content-ID but not drawn: kept
		"--b--\r\n"
	msg, err := parseMessage(strings.NewReader(raw), t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Documents) != 1 || msg.Documents[0].Name != "photo.png" || msg.Documents[0].Rejected != "" {
		t.Errorf("documents = %+v", msg.Documents)
	}
}

func TestPartFilenameFallbacks(t *testing.T) {
	if got := rfc2231Fallback(`attachment; filename*=iso-8859-1''Relev%E9%20ao%FBt.pdf`); got != "Relevé août.pdf" {
		t.Errorf("rfc2231 iso-8859-1 = %q", got)
	}
	raw := "From: a@b.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=iso-8859-1''Relev%E9.pdf\r\n\r\n%PDF-1.4 x\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"C:\\\\Users\\\\marie\\\\quitus.pdf\"\r\n\r\n%PDF-1.4 y\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.4 z\r\n--b--\r\n"
	msg, err := parseMessage(strings.NewReader(raw), t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range msg.Documents {
		names = append(names, d.Name)
	}
	want := []string{"Relevé.pdf", "quitus.pdf", "piece-jointe-3.pdf"}
	if !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
}

func TestParseBrokenHeader(t *testing.T) {
	if _, err := parseMessage(strings.NewReader("not a header line without colon\r\n"), t.TempDir(), 1<<20); err == nil {
		t.Error("want an error for an unreadable header")
	}
}
