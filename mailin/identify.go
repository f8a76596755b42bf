package mailin

import (
	"context"
	"fmt"
	"strings"
)

// maxUAILookups bounds directory queries for one message: a body quoting a
// whole list of schools must not turn into hundreds of queries.
const maxUAILookups = 20

// identifier finds the coop and the document types of a message.
type identifier struct {
	dir      Directory
	mailbox  Mailbox
	maxQRPDF int64 // PDFs above this size are not scanned for QR codes
}

// identify fills msg.Coop, MatchedBy, Exercice, Type and each accepted
// document's QR and Type. Errors are the directory's: they abort the run
// rather than send the message to triage because the database hiccupped.
func (id identifier) identify(ctx context.Context, msg *Message) error {
	id.scanQR(msg)
	if err := id.matchCoop(ctx, msg); err != nil {
		return err
	}
	classify(msg)
	return nil
}

// scanQR decodes the app's QR code from image and scanned-PDF documents.
func (id identifier) scanQR(msg *Message) {
	for i := range msg.Documents {
		d := &msg.Documents[i]
		if d.Rejected != "" || d.QR != nil {
			continue
		}
		// A QR decoding failure only means one fewer clue.
		if codes, err := id.scanDocument(d); err == nil && len(codes) > 0 {
			d.QR = &codes[0]
		}
	}
}

// scanDocument decodes one file. The PDF and image decoders read what a
// stranger sent: a panic in them must not crash the poller on the same
// message at every run, so it becomes an error.
func (id identifier) scanDocument(d *Document) (codes []QRCode, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("scan %s: panic: %v", d.Name, r)
		}
	}()
	switch d.ContentType {
	case "image/jpeg", "image/png":
		return scanImageFile(d.Path)
	case "application/pdf":
		if d.Size <= id.maxQRPDF {
			return scanPDFFile(d.Path)
		}
	}
	return nil, nil // HEIC: no pure-Go decoder
}

func (id identifier) matchCoop(ctx context.Context, msg *Message) error {
	// (1) The app's QR code says exactly which coop and exercice.
	for _, d := range msg.Documents {
		if d.QR == nil {
			continue
		}
		if msg.Exercice == "" {
			msg.Exercice = d.QR.Exercice
		}
		c, ok, err := id.dir.CoopByUAI(ctx, d.QR.UAI)
		if err != nil {
			return fmt.Errorf("identify coop by qr: %w", err)
		}
		if ok {
			msg.Coop, msg.MatchedBy, msg.Exercice = c, "qr", d.QR.Exercice
			return nil
		}
	}
	// (2) A UAI written by the sender, subject first.
	var names []string
	for _, d := range msg.Documents {
		names = append(names, d.Name)
	}
	texts := []string{msg.Subject, strings.Join(names, "\n"), msg.forwarded, msg.Text}
	lookups := 0
	for _, t := range texts {
		for _, uai := range FindUAIs(t) {
			if lookups++; lookups > maxUAILookups {
				break
			}
			c, ok, err := id.dir.CoopByUAI(ctx, uai)
			if err != nil {
				return fmt.Errorf("identify coop by uai: %w", err)
			}
			if ok {
				msg.Coop, msg.MatchedBy = c, "uai"
				return nil
			}
		}
	}
	// (3) The reply-to token of a reminder: documents+TOKEN@….
	local := id.mailbox.tokenLocal()
	for _, r := range msg.Recipients {
		at := strings.LastIndexByte(r, '@')
		if at < 0 {
			continue
		}
		base, token, ok := strings.Cut(r[:at], "+")
		if !ok || token == "" || (local != "" && !strings.EqualFold(base, local)) {
			continue
		}
		c, found, err := id.dir.CoopByToken(ctx, token)
		if err != nil {
			return fmt.Errorf("identify coop by token: %w", err)
		}
		if found {
			msg.Coop, msg.MatchedBy = c, "token"
			return nil
		}
	}
	// (4) A mandataire's known address, when it names one coop only.
	if msg.From != "" {
		coops, err := id.dir.CoopsByEmail(ctx, msg.From)
		if err != nil {
			return fmt.Errorf("identify coop by sender: %w", err)
		}
		if len(coops) == 1 {
			msg.Coop, msg.MatchedBy = coops[0], "sender"
		}
	}
	return nil
}

// classify sets the document types: a document's own QR code or file name
// decides for it; otherwise the message's type (QR, subject, file names when
// they agree, then the sender's own words) applies.
func classify(msg *Message) {
	var qrType, nameType string
	namesAgree := true
	for i := range msg.Documents {
		d := &msg.Documents[i]
		if d.Rejected != "" {
			continue
		}
		if d.QR != nil {
			d.Type = d.QR.Type
			if qrType == "" {
				qrType = d.Type
			}
			continue
		}
		d.Type = DetectType(d.Name)
		if d.Type != "" {
			if nameType != "" && nameType != d.Type {
				namesAgree = false
			}
			nameType = d.Type
		}
	}
	switch {
	case qrType != "":
		msg.Type = qrType
	case DetectType(msg.Subject) != "":
		msg.Type = DetectType(msg.Subject)
	case nameType != "" && namesAgree:
		msg.Type = nameType
	case DetectType(msg.forwarded) != "":
		msg.Type = DetectType(msg.forwarded)
	default:
		msg.Type = DetectType(ownText(msg.Text))
	}
	for i := range msg.Documents {
		if d := &msg.Documents[i]; d.Rejected == "" && d.Type == "" {
			d.Type = msg.Type
		}
	}
}
