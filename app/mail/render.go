// Package mail is retkoop's outbound mail: it renders the French e-mails
// from the embedded templates (templates/mail/, plain text + HTML, with the
// AD's name and signature and links on RETKOOP_BASE_URL) and delivers them
// over SMTP with go-mail, telling transient refusals (retried with backoff)
// from permanent ones (5xx). It knows nothing of the database: the app
// writes every mail to the outbox first and hands this package one row at a
// time.
package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	texttemplate "text/template"
	"time"

	"retkoop/app/fr"
)

// Identity is the AD as the author of a mail: its name in the text and its
// signature under it.
type Identity struct {
	Name      string
	Signature string
}

// Content is a rendered mail.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

// View is what every mail template receives.
type View struct {
	AD      Identity
	Subject string // set for the HTML part, rendered from the text template
	Data    any
}

// Templates holds, for every mail name, its text and HTML template sets.
type Templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// Load parses every mail of fsys (the templates/mail directory): NAME.txt
// and NAME.html, each with its layout. Links are made absolute on base.
// A broken or half-written mail (one of the two files missing) is an error
// at start, not when the mail is due.
func Load(fsys fs.FS, base *url.URL) (*Templates, error) {
	root := strings.TrimSuffix(base.String(), "/")
	funcs := map[string]any{
		"link": func(p string) string { return root + "/" + strings.TrimPrefix(p, "/") },
		"date": func(t time.Time) string { return t.In(fr.Paris).Format("02/01/2006") },
		"datetime": func(t time.Time) string {
			return t.In(fr.Paris).Format("02/01/2006 à 15:04")
		},
	}
	t := &Templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("load mail templates: %w", err)
	}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".txt")
		if name == "layout" || name == "README" {
			continue
		}
		tt, err := texttemplate.New(name).Funcs(funcs).ParseFS(fsys, "layout.txt", name+".txt")
		if err != nil {
			return nil, fmt.Errorf("load mail %s: %w", name, err)
		}
		ht, err := htmltemplate.New(name).Funcs(funcs).ParseFS(fsys, "layout.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("load mail %s: %w", name, err)
		}
		for _, def := range []string{"subject", "body"} {
			if tt.Lookup(def) == nil {
				return nil, fmt.Errorf("load mail %s: %s.txt does not define %q", name, name, def)
			}
		}
		t.text[name], t.html[name] = tt, ht
	}
	return t, nil
}

// Render renders the mail name for the AD with data (one of the views of
// views.go). The subject is one line; the text ends with the signature.
func (t *Templates) Render(name string, ad Identity, data any) (Content, error) {
	tt, ok := t.text[name]
	if !ok {
		return Content{}, fmt.Errorf("render mail %s: unknown mail", name)
	}
	if strings.TrimSpace(ad.Signature) == "" {
		ad.Signature = DefaultSignature(ad.Name)
	}
	v := View{AD: ad, Data: data}
	var subj, text, html bytes.Buffer
	if err := tt.ExecuteTemplate(&subj, "subject", v); err != nil {
		return Content{}, fmt.Errorf("render mail %s: %w", name, err)
	}
	v.Subject = strings.Join(strings.Fields(subj.String()), " ")
	if err := tt.ExecuteTemplate(&text, "text", v); err != nil {
		return Content{}, fmt.Errorf("render mail %s: %w", name, err)
	}
	if err := t.html[name].ExecuteTemplate(&html, "html", v); err != nil {
		return Content{}, fmt.Errorf("render mail %s: %w", name, err)
	}
	return Content{Subject: v.Subject, Text: tidy(text.String()), HTML: html.String()}, nil
}

// DefaultSignature signs for an AD that has not written its own.
func DefaultSignature(adName string) string {
	return adName + "\nOffice Central de la Coopération à l'École"
}

// tidy drops trailing spaces (except the "-- " signature separator) and
// runs of blank lines that the templates' conditionals leave behind.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		if l != "-- " {
			l = strings.TrimRight(l, " \t")
		}
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
