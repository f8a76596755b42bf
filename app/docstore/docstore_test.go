package docstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func TestPutAndDedupe(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 1<<20)
	a, err := s.Put(bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if a.MIME != "application/pdf" || a.Size != int64(len(pdf)) || len(a.SHA256) != 64 {
		t.Fatalf("stored %+v", a)
	}
	b, err := s.Put(bytes.NewReader(pdf))
	if err != nil || b != a {
		t.Fatalf("second put %+v %v", b, err)
	}
	got, _ := os.ReadFile(s.Path(a.SHA256))
	if !bytes.Equal(got, pdf) {
		t.Fatal("content differs")
	}
	if !strings.HasPrefix(s.Path(a.SHA256), filepath.Join(dir, "documents")) {
		t.Fatal("stored outside the data dir")
	}
	left, _ := os.ReadDir(filepath.Join(dir, "documents", "tmp"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %d", len(left))
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 100)
	_, err := s.Put(bytes.NewReader(append(pdf, bytes.Repeat([]byte("x"), 200)...)))
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "taille maximale") {
		t.Fatalf("oversized: %v", err)
	}
	s = New(dir, 1<<20)
	html := []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
	if _, err := s.Put(bytes.NewReader(html)); !errors.Is(err, ErrType) {
		t.Fatalf("html as pdf: %v", err)
	}
	elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1}, bytes.Repeat([]byte{0}, 64)...)
	if _, err := s.Put(bytes.NewReader(elf)); !errors.Is(err, ErrType) {
		t.Fatalf("executable: %v", err)
	}
	if _, err := s.Put(bytes.NewReader(nil)); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty: %v", err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	if st, err := s.Put(bytes.NewReader(png)); err != nil || st.MIME != "image/png" {
		t.Fatalf("png: %+v %v", st, err)
	}
	var stored int
	filepath.WalkDir(filepath.Join(dir, "documents"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			stored++
		}
		return nil
	})
	if stored != 1 {
		t.Fatalf("%d files stored, want only the PNG", stored)
	}
}
