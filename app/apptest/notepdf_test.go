package apptest

import (
	"bytes"
	"strings"
	"testing"

	"retkoop/app/docstore"
	"retkoop/app/service"
	"retkoop/app/web"
)

func TestNotePDF(t *testing.T) {
	a := service.NotePDF("Reçu (courrier)", []string{"École « Alpha » — 300,00\u202f€", `chemin\fichier`})
	if !bytes.Equal(a, service.NotePDF("Reçu (courrier)", []string{"École « Alpha » — 300,00\u202f€", `chemin\fichier`})) {
		t.Fatal("same text, different bytes")
	}
	st, err := docstore.New(t.TempDir(), 1<<20).Put(bytes.NewReader(a))
	if err != nil || st.MIME != "application/pdf" {
		t.Fatalf("note sniffed as %q: %v", st.MIME, err)
	}
	s := string(a)
	// WinAnsi bytes for ç, É, «, —, €; parentheses and backslashes escaped.
	for _, want := range []string{"(Re\xe7u \\(courrier\\)) Tj", "\xc9cole \xab Alpha \xbb \x97 300,00 \x80", `chemin\\fichier`} {
		if !strings.Contains(s, want) {
			t.Errorf("note lacks %q", want)
		}
	}
	// The cross-reference table points at each object.
	for _, obj := range []string{"1 0 obj", "6 0 obj"} {
		off := strings.Index(s, obj)
		if !strings.Contains(s, strings.Repeat("0", 10-len(itoa(int64(off))))+itoa(int64(off))+" 00000 n") {
			t.Errorf("xref lacks the offset %d of %s", off, obj)
		}
	}
}

func TestUploadFileName(t *testing.T) {
	for in, want := range map[string]string{
		"quitus.pdf": "quitus.pdf", "../../etc/passwd": "passwd", `C:\Users\prof\relevé.pdf`: "relevé.pdf",
		"": "document", "/": "document", strings.Repeat("a", 300) + ".pdf": strings.Repeat("a", 120),
	} {
		if got := web.FileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}
