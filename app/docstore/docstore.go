// Package docstore keeps uploaded and mailed documents on disk, outside the
// web root, content-addressed by SHA-256: a file received twice is stored
// once. Files are streamed (never held whole in memory), size-limited, and
// their real type is sniffed from the bytes, not trusted from the name.
package docstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Store is a directory of content-addressed files.
type Store struct {
	root string
	max  int64
}

// New returns the store under dataDir/documents, refusing files larger
// than max bytes.
func New(dataDir string, max int64) *Store {
	return &Store{root: filepath.Join(dataDir, "documents"), max: max}
}

// Max returns the size limit in bytes.
func (s *Store) Max() int64 { return s.max }

// Stored describes a file kept in the store.
type Stored struct {
	SHA256 string
	Size   int64
	MIME   string
}

// Accepted content types: PDF and the image formats scanners and phones
// produce.
var accepted = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true, "image/heic": true, "image/heif": true}

// ErrTooLarge and ErrType are user errors (French messages).
var (
	ErrTooLarge = errors.New("fichier trop volumineux")
	ErrType     = errors.New("type de fichier refusé")
	ErrEmpty    = errors.New("fichier vide")
)

// TooLargeError says how large the file may be.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("Le fichier dépasse la taille maximale autorisée (%s).", HumanSize(e.Max))
}

// Unwrap returns ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// TypeError says what the file really is.
type TypeError struct{ Found string }

func (e *TypeError) Error() string {
	return fmt.Sprintf("Ce fichier n'est pas un PDF ni une image (JPEG, PNG, HEIC) : son contenu est de type %s.", e.Found)
}

// Unwrap returns ErrType.
func (e *TypeError) Unwrap() error { return ErrType }

// Put streams r into the store. The file is written to a temporary file
// while hashing, checked, then renamed to its content address; nothing is
// left behind when it is refused.
func (s *Store) Put(r io.Reader) (Stored, error) {
	tmpDir := filepath.Join(s.root, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	f, err := os.CreateTemp(tmpDir, "up-*")
	if err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	tmp := f.Name()
	keep := false
	defer func() {
		if !keep {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	head := &headBuffer{max: 3072}
	n, err := io.Copy(io.MultiWriter(f, h, head), io.LimitReader(r, s.max+1))
	if err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	if n > s.max {
		return Stored{}, &TooLargeError{Max: s.max}
	}
	if n == 0 {
		return Stored{}, fmt.Errorf("%w : le fichier reçu ne contient rien", ErrEmpty)
	}
	mt := mimetype.Detect(head.b)
	mime := baseType(mt.String())
	if !accepted[mime] {
		return Stored{}, &TypeError{Found: mime}
	}
	if err := f.Close(); err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := s.Path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		os.Remove(tmp) // already stored: same bytes, same address
	} else if err := os.Rename(tmp, dst); err != nil {
		return Stored{}, fmt.Errorf("docstore put: %w", err)
	}
	keep = true
	return Stored{SHA256: sum, Size: n, MIME: mime}, nil
}

// PutFile stores a file already on disk (mail-in temp files).
func (s *Store) PutFile(path string) (Stored, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stored{}, fmt.Errorf("docstore put file: %w", err)
	}
	defer f.Close()
	return s.Put(f)
}

// Path returns where the file of that hash lives.
func (s *Store) Path(sha string) string {
	if len(sha) < 4 || strings.ContainsAny(sha, "/\\.") {
		return filepath.Join(s.root, "invalid")
	}
	return filepath.Join(s.root, sha[:2], sha)
}

// Open opens a stored file for reading.
func (s *Store) Open(sha string) (*os.File, error) {
	f, err := os.Open(s.Path(sha))
	if err != nil {
		return nil, fmt.Errorf("docstore open: %w", err)
	}
	return f, nil
}

func baseType(m string) string {
	if i := strings.IndexByte(m, ';'); i >= 0 {
		m = m[:i]
	}
	return strings.TrimSpace(m)
}

// HumanSize formats a byte count in French ("25 Mo").
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d Mo", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d Ko", n>>10)
	}
	return fmt.Sprintf("%d octets", n)
}

// headBuffer keeps the first bytes written, for type sniffing.
type headBuffer struct {
	b   []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		h.b = append(h.b, p[:room]...)
	}
	return len(p), nil
}
