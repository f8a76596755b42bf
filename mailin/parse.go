package mailin

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-1, Windows-1252… headers and bodies
	"github.com/emersion/go-message/mail"
	"github.com/gabriel-vasile/mimetype"
	"golang.org/x/text/unicode/norm"
)

// Parsing limits: text is kept for identification only, so a bounded prefix
// is enough; the nesting and part counts stop hostile messages.
const (
	maxTextBytes = 1 << 20
	maxDepth     = 10
	maxParts     = 500
	tinyImage    = 10 << 10 // smaller images are logos, icons, tracking pixels
)

// acceptedTypes are the sniffed content types kept as documents.
var acceptedTypes = map[string]bool{
	"application/pdf": true,
	"image/jpeg":      true,
	"image/png":       true,
	"image/heic":      true,
	"image/heif":      true,
}

// ignoredTypes are parts that are never documents nor worth a rejection
// (signatures, business cards, invitations, delivery reports).
var ignoredTypes = map[string]bool{
	"application/pkcs7-signature":      true,
	"application/x-pkcs7-signature":    true,
	"application/pgp-signature":        true,
	"application/pgp-keys":             true,
	"text/vcard":                       true,
	"text/x-vcard":                     true,
	"text/calendar":                    true,
	"application/ics":                  true,
	"message/delivery-status":          true,
	"message/disposition-notification": true,
}

// parser walks one message, streaming each candidate file to dir.
type parser struct {
	dir   string
	max   int64
	parts int
	text  strings.Builder // text/plain bodies, forwarded ones included
	html  strings.Builder
	extra strings.Builder // subjects of forwarded messages
	cands []*candidate
}

type candidate struct {
	Document
	contentID string
	declared  string // Content-Type as sent
}

// parseMessage reads a whole message from r. Candidate files are written to
// dir; the returned Message's documents are accepted or carry a rejection
// reason. The error is non-nil only when the header cannot be read at all.
func parseMessage(r io.Reader, dir string, maxSize int64) (*Message, error) {
	e, err := message.Read(bufio.NewReaderSize(r, 64<<10))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	msg := readHeader(mail.Header{Header: e.Header})
	p := &parser{dir: dir, max: maxSize}
	if err := p.walk(e, 0); err != nil {
		// What was read so far is still worth handing over: a truncated
		// last part does not make the first attachment less valid.
		msg.Reason = "message mal formé : " + err.Error()
	}
	msg.Text = p.text.String()
	if strings.TrimSpace(msg.Text) == "" {
		msg.Text = htmlText(p.html.String())
	}
	msg.forwarded = p.extra.String()
	msg.Documents = p.finish()
	return msg, nil
}

func readHeader(h mail.Header) *Message {
	m := &Message{}
	m.Subject, _ = h.Subject()
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		m.From, m.FromName = strings.ToLower(from[0].Address), from[0].Name
	} else {
		m.From = strings.ToLower(looseAddress(h.Get("From")))
	}
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = "<" + id + ">"
	} else if v := strings.TrimSpace(h.Get("Message-Id")); v != "" {
		m.MessageID = v
	}
	m.Date, _ = h.Date()
	m.Automatic = isAutomatic(h, m.From)
	for _, k := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		fields := h.FieldsByKey(k)
		for fields.Next() {
			list, err := mail.ParseAddressList(fields.Value())
			if err != nil {
				if a := looseAddress(fields.Value()); a != "" {
					m.Recipients = append(m.Recipients, a)
				}
				continue
			}
			for _, a := range list {
				// Case kept: the local part carries the reply token.
				m.Recipients = append(m.Recipients, a.Address)
			}
		}
	}
	return m
}

// isAutomatic recognises mail that no person wrote (RFC 3834 and the
// headers older robots use instead).
func isAutomatic(h mail.Header, from string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" || h.Get("List-Id") != "" {
		return true
	}
	if mt, _, _ := h.ContentType(); mt == "multipart/report" {
		return true
	}
	local, _, _ := strings.Cut(from, "@")
	return local == "mailer-daemon" || local == "postmaster" || strings.HasPrefix(local, "no-reply") || strings.HasPrefix(local, "noreply")
}

// looseAddress extracts an address from a header that RFC 5322 parsing
// refused (unquoted commas or accents in the display name are common).
func looseAddress(v string) string {
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			v = v[i+1 : i+j]
		}
	}
	v = strings.TrimSpace(v)
	if strings.Count(v, "@") != 1 || strings.ContainsAny(v, " ,;") {
		return ""
	}
	return v
}

func (p *parser) walk(e *message.Entity, depth int) error {
	if depth > maxDepth {
		return errors.New("imbrication trop profonde")
	}
	mt, _, _ := e.Header.ContentType()
	if mt == "" {
		mt = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				return fmt.Errorf("partie multipart : %w", err)
			}
			p.parts++
			if p.parts > maxParts {
				return errors.New("trop de parties")
			}
			if err := p.walk(part, depth+1); err != nil {
				return err
			}
		}
	}
	disp, _, _ := e.Header.ContentDisposition()
	name := partFilename(e.Header)
	switch {
	case mt == "message/rfc822" || mt == "message/global":
		// A forwarded message: its attachments are the sender's documents.
		inner, err := message.Read(e.Body)
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return nil // an unreadable forward is not worth failing the rest
		}
		if s, err := (&mail.Header{Header: inner.Header}).Subject(); err == nil && s != "" {
			p.extra.WriteString(s + "\n")
		}
		return p.walk(inner, depth+1)
	case ignoredTypes[mt]:
		return nil
	case (mt == "text/plain" || mt == "text/html") && disp != "attachment" && name == "":
		b := &p.text
		if mt == "text/html" {
			b = &p.html
		}
		readBounded(b, e.Body)
		return nil
	}
	p.spool(e, mt, name)
	return nil
}

// readBounded appends at most maxTextBytes to b and drains the rest.
func readBounded(b *strings.Builder, r io.Reader) {
	if room := maxTextBytes - b.Len(); room > 0 {
		io.Copy(b, io.LimitReader(r, int64(room)))
		b.WriteByte('\n')
	}
	io.Copy(io.Discard, r)
}

// partFilename decodes the part's file name (RFC 2231 filename*=, RFC 2047
// encoded words, or Content-Type name=) and keeps only its base name.
func partFilename(h message.Header) string {
	name, _ := (&mail.AttachmentHeader{Header: h}).Filename()
	if name == "" {
		name = rfc2231Fallback(h.Get("Content-Disposition"))
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	// Apple clients send decomposed accents (o + U+0302): store names
	// composed, as every other client writes them.
	return norm.NFC.String(strings.TrimSpace(name))
}

var rfc2231Name = regexp.MustCompile(`(?i)filename\*(?:0\*)?=([a-z0-9_-]+)'[^']*'([^;\s]+)`)

// rfc2231Fallback decodes filename*=charset”… for charsets other than UTF-8,
// which the standard library refuses (Outlook sends ISO-8859-1).
func rfc2231Fallback(disp string) string {
	m := rfc2231Name.FindStringSubmatch(disp)
	if m == nil {
		return ""
	}
	raw, err := url.PathUnescape(m[2])
	if err != nil {
		return ""
	}
	word := "=?" + m[1] + "?b?" + base64.StdEncoding.EncodeToString([]byte(raw)) + "?="
	dec := mime.WordDecoder{CharsetReader: message.CharsetReader}
	s, err := dec.DecodeHeader(word)
	if err != nil {
		return ""
	}
	return s
}

// spool streams one part to a temp file, hashing while writing so memory
// stays bounded whatever the attachment's size.
func (p *parser) spool(e *message.Entity, declared, name string) {
	c := &candidate{declared: declared, contentID: strings.Trim(e.Header.Get("Content-Id"), "<> ")}
	c.Name = name
	c.Path = filepath.Join(p.dir, fmt.Sprintf("part-%03d", len(p.cands)+1))
	p.cands = append(p.cands, c)
	f, err := os.Create(c.Path)
	if err != nil {
		c.Rejected = "erreur d'écriture : " + err.Error()
		c.Path = ""
		io.Copy(io.Discard, e.Body)
		return
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(e.Body, p.max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	c.Size = n
	switch {
	case n > p.max:
		rest, _ := io.Copy(io.Discard, e.Body)
		c.Size = n + rest
		c.Rejected = fmt.Sprintf("%s fait %s, au-delà de la limite de %s", quoteName(c.Name), humanSize(c.Size), humanSize(p.max))
	case err != nil:
		c.Rejected = fmt.Sprintf("%s est illisible (%v)", quoteName(c.Name), err)
	default:
		c.SHA256 = hex.EncodeToString(h.Sum(nil))
		if mt, err := mimetype.DetectFile(c.Path); err == nil {
			c.ContentType, _, _ = strings.Cut(mt.String(), ";")
			if c.Name == "" {
				c.Name = fmt.Sprintf("piece-jointe-%d%s", len(p.cands), mt.Extension())
			}
		}
	}
	if c.Rejected != "" {
		os.Remove(c.Path)
		c.Path = ""
	}
}

// finish decides which candidates are documents, once the whole message is
// read: whether an image is referenced from the HTML is only known then.
func (p *parser) finish() []Document {
	htmlBody := strings.ToLower(p.html.String())
	seen := map[string]bool{}
	var out []Document
	for _, c := range p.cands {
		if c.Rejected != "" {
			out = append(out, c.Document)
			continue
		}
		image := strings.HasPrefix(c.ContentType, "image/") || strings.HasPrefix(c.declared, "image/")
		switch {
		case seen[c.SHA256]:
			drop(c) // the same file attached twice
			continue
		case image && c.Size < tinyImage:
			drop(c)
			continue
		case image && c.contentID != "" && strings.Contains(htmlBody, "cid:"+strings.ToLower(c.contentID)):
			// Drawn inside the HTML: a signature or letterhead, unless it
			// carries the app's QR code (a photo pasted into the mail).
			if qr := scanCandidate(c); qr == nil {
				drop(c)
				continue
			} else {
				c.QR = qr
			}
		}
		seen[c.SHA256] = true
		if !acceptedTypes[c.ContentType] {
			ct := c.ContentType
			if ct == "" {
				ct = "inconnu"
			}
			c.Rejected = fmt.Sprintf("%s n'est pas un PDF ni une image JPEG, PNG ou HEIC (contenu reconnu : %s)", quoteName(c.Name), ct)
			drop(c)
		}
		out = append(out, c.Document)
	}
	return out
}

func scanCandidate(c *candidate) *QRCode {
	codes, err := identifier{}.scanDocument(&c.Document)
	if err != nil || len(codes) == 0 {
		return nil
	}
	return &codes[0]
}

func drop(c *candidate) {
	if c.Path != "" {
		os.Remove(c.Path)
		c.Path = ""
	}
}

func quoteName(name string) string {
	if name == "" {
		return "la pièce jointe"
	}
	return "« " + name + " »"
}

// humanSize writes sizes the French way: 30,0 Mo.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d ko", n>>10)
	default:
		return fmt.Sprintf("%d octets", n)
	}
}

var (
	htmlDropped = regexp.MustCompile(`(?is)<(style|script|head)\b.*?</(style|script|head)\s*>`)
	htmlBreak   = regexp.MustCompile(`(?i)<(br|/p|/div|/tr|/li|/h[1-6])\b[^>]*>`)
	htmlTag     = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlText is a rough HTML-to-text conversion, enough to find words and UAIs.
func htmlText(s string) string {
	s = htmlDropped.ReplaceAllString(s, " ")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}
