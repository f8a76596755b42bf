package web

import (
	"bytes"
	"container/list"
	"fmt"
	"hash/fnv"
	"html/template"
	"sync"

	"retkoop/app/ledger"
	"retkoop/app/store"
)

// viewCacheSize bounds the rendered book lists kept in memory (a list of
// 100 rows is about 60 kB).
const viewCacheSize = 256

// viewCache keeps the rendered list part of book pages (filters, totals,
// rows), which holds no per-user data (no CSRF token, no form key). A key
// names everything the list depends on: the exercice and its book
// revision, opening balances, chart and régies, and the view's query; any
// write of the book raises the revision, so an entry is never stale.
type viewCache struct {
	mu  sync.Mutex
	m   map[string]*list.Element
	lru list.List
}

type viewEntry struct {
	key  string
	html bookList
}

// bookList is a rendered list cut in pieces of a few kilobytes: a template
// prints each piece through fmt, whose pooled buffers are dropped past
// 64 kB, so one large string would cost an allocation of its size on
// every page.
type bookList []template.HTML

const bookListPiece = 8 << 10

func newBookList(s string) bookList {
	out := make(bookList, 0, len(s)/bookListPiece+1)
	for len(s) > bookListPiece {
		out = append(out, template.HTML(s[:bookListPiece]))
		s = s[bookListPiece:]
	}
	return append(out, template.HTML(s))
}

// reset empties the cache (benchmarks of the uncached path).
func (v *viewCache) reset() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m = nil
	v.lru.Init()
}

func (v *viewCache) get(key string) (bookList, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	el, ok := v.m[key]
	if !ok {
		return nil, false
	}
	v.lru.MoveToFront(el)
	return el.Value.(*viewEntry).html, true
}

func (v *viewCache) put(key string, html bookList) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[string]*list.Element{}
	}
	if el, ok := v.m[key]; ok {
		v.lru.MoveToFront(el)
		return
	}
	v.m[key] = v.lru.PushFront(&viewEntry{key: key, html: html})
	for v.lru.Len() > viewCacheSize {
		last := v.lru.Back()
		v.lru.Remove(last)
		delete(v.m, last.Value.(*viewEntry).key)
	}
}

// viewKey names one rendering of a book list.
func viewKey(s coopSpace, b *store.Book, q bookQuery) string {
	h := fnv.New64a()
	for _, c := range b.Chart.Codes() {
		fmt.Fprintf(h, "%s=%s;", c, b.Chart[c])
	}
	for _, r := range b.Regies {
		fmt.Fprintf(h, "%s=%s;", r.ID, r.Label)
	}
	e := b.Exercice
	return fmt.Sprintf("%s/%d/%d/%d/%d/%s/%x/%s/%d/%t", s, e.ID, e.BookRev, e.OpeningBank, e.OpeningCash, e.State, h.Sum64(),
		q.values(0).Encode(), q.Page, q.All)
}

// bookListHTML renders the list part of a book page, or takes it from the
// cache. A list highlighting a new row or swapped out of band is rendered
// fresh.
func (a *Handler) bookListHTML(s coopSpace, b *store.Book, q bookQuery, newID int64, oob bool) (bookList, error) {
	cacheable := newID == 0 && !oob
	key := ""
	if cacheable {
		key = viewKey(s, b, q)
		if h, ok := a.bookViews.get(key); ok {
			return h, nil
		}
	}
	v := buildBookView(s, b, ledger.NewBook(store.OpeningBalances(b.Exercice), b.Ops).Entries(), q, newID)
	v.OOB = oob
	var buf bytes.Buffer
	if err := a.render.partials.ExecuteTemplate(&buf, "book_view", v); err != nil {
		return nil, fmt.Errorf("render book list: %w", err)
	}
	h := newBookList(buf.String()) // rendered by html/template: already escaped
	if cacheable {
		a.bookViews.put(key, h)
	}
	return h, nil
}
