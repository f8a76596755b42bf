package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/docstore"
	"retkoop/app/fault"
)

// errNoFile is returned by receiveUpload when the form carries no file.
var errNoFile = fault.Invalidf("Choisissez le fichier à envoyer.")

// maxFieldBytes bounds a non-file field of an upload form.
const maxFieldBytes = 64 << 10

// upload is a file received from a form and put in the docstore, with the
// form's other fields.
type upload struct {
	Stored docstore.Stored
	Name   string
	Fields url.Values
}

// receiveUpload streams the file of a multipart form's field into the
// docstore, which sniffs its type and enforces the size limit; the request
// body is capped at that limit plus 1 MB for the rest of the form. Refusals
// are user errors with a French message; errNoFile when no file was chosen.
//
// An htmx request (CSRF token in a header) is read part by part, so a scan
// never sits in memory; a plain form post has already been parsed by the
// CSRF check (which reads the token field), and its file is read from there.
func (a *Handler) receiveUpload(c *gin.Context, field string) (upload, error) {
	store := a.Docs()
	if form := c.Request.MultipartForm; form != nil {
		up := upload{Fields: url.Values(form.Value)}
		fhs := form.File[field]
		if len(fhs) == 0 || fhs[0].Filename == "" {
			return up, errNoFile
		}
		f, err := fhs[0].Open()
		if err != nil {
			return up, fmt.Errorf("upload: %w", err)
		}
		defer f.Close()
		up.Name = FileName(fhs[0].Filename)
		up.Stored, err = store.Put(f)
		return up, uploadError(err, store.Max())
	}
	if c.ContentType() != "multipart/form-data" {
		return upload{}, errNoFile // a form without a file input
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, store.Max()+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return upload{}, fault.Invalidf("Envoyez le fichier avec le formulaire de la page.")
	}
	up := upload{Fields: url.Values{}}
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, uploadError(err, store.Max())
		}
		if part.FormName() == field && part.FileName() != "" && !found {
			found = true
			up.Name = FileName(part.FileName())
			if up.Stored, err = store.Put(part); err != nil {
				return up, uploadError(err, store.Max())
			}
			continue
		}
		if err := readField(part, up.Fields); err != nil {
			return up, uploadError(err, store.Max())
		}
	}
	if !found {
		return up, errNoFile
	}
	return up, nil
}

func readField(part *multipart.Part, into url.Values) error {
	defer part.Close()
	if part.FileName() != "" {
		_, err := io.Copy(io.Discard, part)
		return err
	}
	b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
	if err != nil {
		return err
	}
	into.Add(part.FormName(), string(b))
	return nil
}

// uploadError turns the docstore's and the body limit's refusals into
// user errors.
func uploadError(err error, max int64) error {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return fault.User(&docstore.TooLargeError{Max: max})
	case errors.Is(err, docstore.ErrEmpty):
		return fault.Invalidf("Le fichier envoyé est vide.")
	case errors.Is(err, docstore.ErrTooLarge), errors.Is(err, docstore.ErrType):
		return fault.User(err)
	}
	return fmt.Errorf("upload: %w", err)
}

// fileName keeps the base name a browser sent, bounded, never a path.
func FileName(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	s = strings.TrimSpace(path.Base(s))
	if s == "." || s == "/" || s == "" {
		s = "document"
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return strings.ToValidUTF8(s, "")
}

// readPreviewedFile returns the file of a two-step import (upload, preview,
// confirmation): the one uploaded in the form's "fichier" field (first
// step: *name becomes its cleaned file name), or the copy the preview form
// carries base64 in "contenu" (second step: *name, read by the caller from
// the form, is kept). A file of more than
// max bytes, a missing file (the message missing) and an unreadable copy
// are French user errors; nothing is read past max+1 bytes.
func readPreviewedFile(c *gin.Context, max int64, missing string, name *string) ([]byte, error) {
	tooLarge := fault.Invalidf("Le fichier est trop volumineux (%s au plus).", docstore.HumanSize(max))
	if s := c.PostForm("contenu"); s != "" {
		if int64(base64.StdEncoding.DecodedLen(len(s))) > max+2 { // base64 pads to 3 bytes
			return nil, tooLarge
		}
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil || int64(len(data)) > max {
			return nil, fault.Invalidf("Le fichier prévisualisé n'a pas pu être relu : envoyez-le de nouveau.")
		}
		return data, nil
	}
	fh, err := c.FormFile("fichier")
	if err != nil {
		return nil, fault.Invalidf("%s", missing)
	}
	if fh.Size > max {
		return nil, tooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > max {
		return nil, tooLarge
	}
	*name = FileName(fh.Filename)
	return data, nil
}
