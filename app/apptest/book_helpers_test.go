package apptest

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

const ex25 = "2025-2026"

// coopScopeOf returns a store scope of a coop of the world.
func (w *world) coopScopeOf(co *store.Coop) *store.CoopScope {
	w.t.Helper()
	cs, err := w.db.ForCoop(context.Background(), co.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return cs
}

// bookOf returns a coop's operations of 2025-2026.
func (w *world) bookOf(co *store.Coop) []ledger.Operation {
	w.t.Helper()
	ops, err := w.coopScopeOf(co).BookOperations(context.Background(), ex25)
	if err != nil {
		w.t.Fatal(err)
	}
	return ops
}

// addOp inserts an operation through the store and returns its id.
func (w *world) addOp(co *store.Coop, op ledger.Operation) int64 {
	w.t.Helper()
	if _, err := w.coopScopeOf(co).InsertOperation(context.Background(), ex25, &op, ""); err != nil {
		w.t.Fatalf("insert %s: %v", op.Piece, err)
	}
	return op.ID
}

func tday(s string) time.Time {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return d
}

func tOp(kind ledger.Kind, date, piece string, t ledger.Treasury, amount string, lines ...ledger.Line) ledger.Operation {
	m := money.MustParse(amount)
	if len(lines) == 0 && kind != ledger.Transfert {
		acc := "60600008"
		if kind == ledger.Recette {
			acc = "75600008"
		}
		lines = []ledger.Line{{Account: acc, Amount: m}}
	}
	return ledger.Operation{Date: tday(date), Piece: piece, Libelle: string(kind) + " " + piece, Kind: kind,
		Mode: ledger.Especes, Treasury: t, Amount: m, Lines: lines}
}

// entryValues is a filled entry form.
func entryValues(kind, date, piece, libelle, treasury, amount string, lines ...string) url.Values {
	v := url.Values{"type": {kind}, "date": {date}, "piece": {piece}, "libelle": {libelle}, "tresorerie": {treasury},
		"montant": {amount}, "mode": {"especes"}, "idem": {"k-" + piece + "-" + date}}
	for i := 0; i+1 < len(lines); i += 2 {
		v.Add("compte", lines[i])
		v.Add("montant_ligne", lines[i+1])
	}
	return v
}

// postMultipart sends a multipart form with one file.
func (c *client) postMultipart(path string, form url.Values, field, name string, content []byte, headers ...string) *http.Response {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if field != "" {
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.w.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func text(doc *goquery.Document, sel string) string {
	return plainText(doc.Find(sel).First().Text())
}

// plainText trims s and writes its non-breaking spaces (French money) as
// plain spaces.
func plainText(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s))
}

func wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, want)
	}
}
