package apptest

import (
	"net/http"
	"strings"
	"testing"
)

func TestServeDocumentToItsCoopAndAD(t *testing.T) {
	w := newWorld(t)
	id := w.victimDocument() // belongs to AD B's coop
	m := w.login("0700001L")
	res := m.get("/coop/documents/" + itoa(id))
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("own document: %d %v", res.StatusCode, res.Header)
	}
	if !strings.Contains(body(t, res), "%PDF-1.4") {
		t.Fatal("wrong content")
	}
	s := w.login("staff@b.example")
	res = s.get("/ad/coops/" + itoa(w.coopB.ID) + "/documents/" + itoa(id) + "?telecharger=1")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("staff download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	// The right document id under another coop of the same AD is a 404.
	if res := s.get("/ad/coops/" + itoa(w.coopA.ID) + "/documents/" + itoa(id)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("document through another coop: %d", res.StatusCode)
	}
}
