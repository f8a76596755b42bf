package store

import (
	"container/list"
	"context"
	"fmt"
	"sync"

	"github.com/uptrace/bun"

	"retkoop/app/ledger"
)

// bookCacheSize bounds the books kept in memory (a 400-operation book is
// about 150 kB).
const bookCacheSize = 256

// bookCache keeps the operations of recently shown books, so that showing
// a book again does not read every operation and line. An entry is valid
// for one revision of the book: exercices.book_rev is raised in the same
// transaction as every write of the exercice's operations (bumpBook), in
// this process or another one, and the book page reads the exercice row
// anyway.
type bookCache struct {
	mu      sync.Mutex
	entries map[int64]*list.Element // exercice id → entry
	lru     list.List
}

type bookCacheEntry struct {
	exerciceID int64
	rev        int64
	ops        []ledger.Operation
	docs       map[int64]int64
}

// cachedBookOps returns the operations of ex, from the cache when its
// revision has not changed. They are shared with every reader of the
// cache: the caller must not modify them (the ledger's functions copy
// what they sort).
func (c *CoopScope) cachedBookOps(ctx context.Context, ex *Exercice) ([]ledger.Operation, map[int64]int64, error) {
	cache := &c.s.books
	if ops, docs, ok := cache.get(ex.ID, ex.BookRev); ok {
		return ops, docs, nil
	}
	ops, docs, err := c.bookOps(ctx, ex.ID)
	if err != nil {
		return nil, nil, err
	}
	cache.put(&bookCacheEntry{exerciceID: ex.ID, rev: ex.BookRev, ops: ops, docs: docs})
	return ops, docs, nil
}

// bumpBook raises the revision of the exercices whose operations were
// just written. Every write of operations calls it in its transaction.
func (c *CoopScope) bumpBook(ctx context.Context, exerciceIDs ...int64) error {
	if len(exerciceIDs) == 0 {
		return nil
	}
	if _, err := c.upd((*Exercice)(nil)).Set("book_rev = book_rev + 1").
		Where("e.id IN (?)", bun.In(exerciceIDs)).Exec(ctx); err != nil {
		return fmt.Errorf("bump book: %w", err)
	}
	return nil
}

func (b *bookCache) get(exerciceID, rev int64) ([]ledger.Operation, map[int64]int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	el, ok := b.entries[exerciceID]
	if !ok {
		return nil, nil, false
	}
	e := el.Value.(*bookCacheEntry)
	if e.rev != rev {
		b.lru.Remove(el)
		delete(b.entries, exerciceID)
		return nil, nil, false
	}
	b.lru.MoveToFront(el)
	return e.ops, e.docs, true
}

func (b *bookCache) put(e *bookCacheEntry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.entries == nil {
		b.entries = map[int64]*list.Element{}
	}
	if el, ok := b.entries[e.exerciceID]; ok {
		if el.Value.(*bookCacheEntry).rev > e.rev {
			return // a newer revision was cached meanwhile
		}
		b.lru.Remove(el)
	}
	b.entries[e.exerciceID] = b.lru.PushFront(e)
	for b.lru.Len() > bookCacheSize {
		last := b.lru.Back()
		b.lru.Remove(last)
		delete(b.entries, last.Value.(*bookCacheEntry).exerciceID)
	}
}
