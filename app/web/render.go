package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/fr"
	"retkoop/app/money"
	"retkoop/static"
	"retkoop/templates"
)

// Renderer holds one template set per page (layout + partials + the page)
// and the content-hashed names of the static files.
type Renderer struct {
	pages    map[string]*template.Template
	partials *template.Template
	assets   map[string]string // "htmx.min.js" → "htmx.min.3f2a1b9c.js"
	files    map[string]string // hashed name → real name
}

// NewRenderer parses every template at start: a broken template stops the
// program before it serves anything.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, assets: map[string]string{}, files: map[string]string{}}
	err := fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(static.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		r.assets[p], r.files[hashed] = hashed, p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("renderer: static: %w", err)
	}
	base := template.New("base").Funcs(r.funcs())
	base, err = base.ParseFS(templates.FS, "layout/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("renderer: layout: %w", err)
	}
	r.partials = base
	pages, err := fs.Glob(templates.FS, "pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(templates.FS, p)
		if err != nil {
			return nil, fmt.Errorf("renderer: %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return r, nil
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if h, ok := r.assets[name]; ok {
				return "/static/" + h
			}
			panic("unknown asset " + name)
		},
		"money":  func(m money.Money) string { return m.String() },
		"number": func(m money.Money) string { return m.Number() },
		"plain":  func(m money.Money) string { return m.Plain() },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(fr.Paris).Format("02/01/2006")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(fr.Paris).Format("02/01/2006 à 15:04")
		},
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"neg": func(m money.Money) bool { return m < 0 },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
}

// isFragment decides once for the whole app whether a request gets only the
// page content (an htmx request that is neither boosted nor a history
// restore) or the full page.
func isFragment(req *http.Request) bool {
	return req.Header.Get("HX-Request") == "true" && req.Header.Get("HX-Boosted") != "true" &&
		req.Header.Get("HX-History-Restore-Request") != "true"
}

// HTML renders page with data: the whole page, or its "content" block for
// an htmx request. Responses vary on HX-Request.
func (r *Renderer) HTML(c *gin.Context, status int, page string, data any) {
	t, ok := r.pages[page]
	if !ok {
		panic("unknown page " + page)
	}
	name := "layout"
	if isFragment(c.Request) {
		name = "content"
	}
	r.execute(c, status, t, name, data)
}

// Partial renders one named partial (an htmx swap target).
func (r *Renderer) Partial(c *gin.Context, status int, name string, data any) {
	r.execute(c, status, r.partials, name, data)
}

// bufPool recycles render buffers: a book page is ~100 kB of HTML and the
// allocation showed in the load test.
var bufPool = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(64 << 10); return b }}

func (r *Renderer) execute(c *gin.Context, status int, t *template.Template, name string, data any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // don't keep giant buffers alive
			bufPool.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		_ = c.Error(fmt.Errorf("render %s: %w", name, err))
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Erreur interne d'affichage."))
		return
	}
	c.Header("Vary", "HX-Request")
	// c.Data writes synchronously, so the buffer can go back to the pool.
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// serveStatic serves a hashed static file with a one-year immutable cache.
func (r *Renderer) serveStatic(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	real, ok := r.files[name]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	b, err := fs.ReadFile(static.FS, real)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	ctype := "application/octet-stream"
	switch path.Ext(real) {
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, ctype, b)
}
