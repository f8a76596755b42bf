package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/queue"
	"retkoop/workflow"
)

// QueueQuery is one view of a campaign's review queue for one staff
// member: queue.Query says which tab, filter, sort and page; Overdue says
// whether the campaign's deadline has passed (the queue's notion of late).
type QueueQuery struct {
	Campaign *Campaign
	Viewer   int64 // the staff member whose "seen" marks count
	Overdue  bool
	Query    queue.Query
	// Only, when not nil, restricts the queue to these coops (a batch
	// action's selection).
	Only []int64
}

// QueueRow is one coop of the queue with its dossier's denormalised
// columns; a coop that never opened its dossier has DossierID 0.
type QueueRow struct {
	CoopID          int64     `bun:"coop_id"`
	UAI             string    `bun:"uai"`
	Name            string    `bun:"name"`
	Commune         string    `bun:"commune"`
	BookMode        string    `bun:"book_mode"`
	CoopStatus      string    `bun:"coop_status"`
	DossierID       int64     `bun:"dossier_id"`
	Status          string    `bun:"status"`
	Score           int       `bun:"score"`
	Missing         string    `bun:"missing"`
	Unreviewed      int       `bun:"unreviewed"`
	OpenCorrections int       `bun:"open_corrections"`
	LastActivity    time.Time `bun:"last_activity"`
	State           string    `bun:"state"`
	Unread          bool      `bun:"unread"`
}

// Dossier decodes the row's dossier, or a new one for a coop that has
// not started.
func (r *QueueRow) Dossier(campaignID int64) (workflow.Dossier, error) {
	if r.DossierID == 0 || r.State == "" {
		return workflow.NewDossier(r.CoopID, campaignID, r.BookMode == BookKept), nil
	}
	row := DossierRow{ID: r.DossierID, State: r.State}
	return row.Decode()
}

// Facts returns what the queue's rules look at (queue.Matches).
func (r *QueueRow) Facts() queue.Facts {
	f := queue.Facts{Status: workflow.DossierStatus(r.Status), Unreviewed: r.Unreviewed, Source: r.BookMode,
		Unread: r.Unread, UAI: r.UAI, Name: r.Name, Commune: r.Commune}
	if r.DossierID == 0 {
		f.Missing = workflow.NewDossier(r.CoopID, 0, r.BookMode == BookKept).Missing()
	} else if r.Missing != "" {
		for _, k := range strings.Split(r.Missing, ",") {
			f.Missing = append(f.Missing, workflow.ItemKey(k))
		}
	}
	return f
}

// QueueResult is one page of the queue, the number of coops in its tab
// and the counts of every tab under the same filter.
type QueueResult struct {
	Rows   []QueueRow
	Total  int
	Counts queue.Counts
}

// SQL spellings of the queue's derived columns; a coop without a dossier
// is incomplete, with nothing received.
const (
	qStatus = "COALESCE(ds.status, 'incomplet')"
	qUnread = "(ds.id IS NOT NULL AND ds.last_activity IS NOT NULL AND (ss.version IS NULL OR ds.version > ss.version))"
	qLate   = "(" + qStatus + " IN ('incomplet', 'a_corriger'))"
)

// Queue returns one page of the AD's review queue for a campaign: the
// coops that have the campaign's exercice, filtered, sorted and paged as
// qq.Query says, with the counts of every tab, in three indexed queries
// (2,000 coops: a few milliseconds). The rules are queue.Matches'.
func (a *ADScope) Queue(ctx context.Context, qq QueueQuery) (*QueueResult, error) {
	ids, ok, err := a.searchIDs(ctx, qq.Query.Filter.Q)
	if err != nil {
		return nil, err
	}
	res := &QueueResult{Rows: []QueueRow{}, Counts: queue.Counts{ByTab: map[queue.Tab]int{}}}
	if !ok {
		return res, nil
	}
	var c struct{ all, todo, inc, corr, late, valid, unread int }
	cq := a.queueBase(qq, ids).ColumnExpr("count(*)").
		ColumnExpr("COALESCE(SUM(CASE WHEN COALESCE(ds.unreviewed, 0) > 0 THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN " + qStatus + " = 'incomplet' THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN " + qStatus + " = 'a_corriger' THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN " + qLate + " THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN " + qStatus + " = 'valide' THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN " + qUnread + " THEN 1 ELSE 0 END), 0)")
	if err := cq.Scan(ctx, &c.all, &c.todo, &c.inc, &c.corr, &c.late, &c.valid, &c.unread); err != nil {
		return nil, fmt.Errorf("queue counts: %w", err)
	}
	if !qq.Overdue {
		c.late = 0
	}
	res.Counts.ByTab = map[queue.Tab]int{queue.ATraiter: c.todo, queue.Incomplets: c.inc, queue.ACorriger: c.corr,
		queue.EnRetard: c.late, queue.Valides: c.valid, queue.Tous: c.all}
	res.Counts.Unread = c.unread
	res.Total = res.Counts.ByTab[qq.Query.Tab]
	if res.Total == 0 {
		return res, nil
	}
	q := a.queueRows(qq, ids)
	q = orderQueue(q, qq.Query.Sort, qq.Query.Desc).Limit(queue.PageSize).Offset(int64(qq.Query.Offset()))
	if err := q.Scan(ctx, &res.Rows); err != nil {
		return nil, fmt.Errorf("queue rows: %w", err)
	}
	return res, nil
}

// QueueCoopIDs returns the ids of every coop in the query's tab and
// filter, in its order: a batch action on "the whole selection".
func (a *ADScope) QueueCoopIDs(ctx context.Context, qq QueueQuery) ([]int64, error) {
	ids, ok, err := a.searchIDs(ctx, qq.Query.Filter.Q)
	if err != nil || !ok {
		return nil, err
	}
	var out []int64
	q := a.queueBase(qq, ids).Column("c.id")
	q = tabCond(q, qq.Query.Tab, qq.Overdue)
	if err := orderQueue(q, qq.Query.Sort, qq.Query.Desc).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("queue ids: %w", err)
	}
	return out, nil
}

// QueueAll returns every row of the query's tab and filter, in its order,
// without paging: an export.
func (a *ADScope) QueueAll(ctx context.Context, qq QueueQuery) ([]QueueRow, error) {
	ids, ok, err := a.searchIDs(ctx, qq.Query.Filter.Q)
	out := []QueueRow{}
	if err != nil || !ok {
		return out, err
	}
	q := orderQueue(a.queueRows(qq, ids), qq.Query.Sort, qq.Query.Desc)
	if err := q.Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("queue rows: %w", err)
	}
	return out, nil
}

// queueRows selects the columns of the query's tab.
func (a *ADScope) queueRows(qq QueueQuery, ids []int64) *bun.SelectQuery {
	q := a.queueBase(qq, ids).
		ColumnExpr("c.id AS coop_id, c.uai, c.name, c.commune, c.book_mode, c.status AS coop_status").
		ColumnExpr("COALESCE(ds.id, 0) AS dossier_id, " + qStatus + " AS status").
		ColumnExpr("COALESCE(ds.score, 0) AS score, COALESCE(ds.missing, '') AS missing").
		ColumnExpr("COALESCE(ds.unreviewed, 0) AS unreviewed, COALESCE(ds.open_corrections, 0) AS open_corrections").
		ColumnExpr("ds.last_activity, COALESCE(ds.state, '') AS state").
		ColumnExpr("CASE WHEN " + qUnread + " THEN 1 ELSE 0 END AS unread")
	return tabCond(q, qq.Query.Tab, qq.Overdue)
}

// queueBase is the FROM and WHERE shared by the queue's queries: the AD's
// coops having the campaign's exercice, their dossier of the campaign and
// the viewer's "seen" mark, narrowed by the filter (tab excepted). ids,
// when not nil, is the result of the search.
func (a *ADScope) queueBase(qq QueueQuery, ids []int64) *bun.SelectQuery {
	q := a.adCoops().
		Join("JOIN exercices AS e ON e.coop_id = c.id AND e.name = ?", qq.Campaign.Exercice).
		Join("LEFT JOIN dossiers AS ds ON ds.coop_id = c.id AND ds.campaign_id = ?", qq.Campaign.ID).
		Join("LEFT JOIN staff_seen AS ss ON ss.dossier_id = ds.id AND ss.user_id = ?", qq.Viewer)
	if ids != nil {
		q = q.Where("c.id IN (?)", bun.In(ids))
	}
	switch {
	case qq.Only == nil:
	case len(qq.Only) == 0:
		q = q.Where("1 = 0")
	default:
		q = q.Where("c.id IN (?)", bun.In(qq.Only))
	}
	f := qq.Query.Filter
	if f.Missing != "" {
		q = q.Where("(ds.id IS NULL AND (? <> 'cloture' OR c.book_mode = ?)) OR ("+
			"ds.id IS NOT NULL AND (',' || ds.missing || ',') LIKE ?)", string(f.Missing), BookKept, "%,"+string(f.Missing)+",%")
	}
	if f.Late {
		q = q.Where(lateCond(qq.Overdue))
	}
	if f.Source != "" {
		q = q.Where("c.book_mode = ?", f.Source)
	}
	if f.Unreviewed {
		q = q.Where("COALESCE(ds.unreviewed, 0) > 0")
	}
	if f.Unread {
		q = q.Where(qUnread)
	}
	return q
}

func lateCond(overdue bool) string {
	if !overdue {
		return "1 = 0"
	}
	return qLate
}

// tabCond narrows a queue query to a tab (queue.InTab).
func tabCond(q *bun.SelectQuery, t queue.Tab, overdue bool) *bun.SelectQuery {
	switch t {
	case queue.ATraiter:
		return q.Where("COALESCE(ds.unreviewed, 0) > 0")
	case queue.Incomplets:
		return q.Where(qStatus + " = 'incomplet'")
	case queue.ACorriger:
		return q.Where(qStatus + " = 'a_corriger'")
	case queue.EnRetard:
		return q.Where(lateCond(overdue))
	case queue.Valides:
		return q.Where(qStatus + " = 'valide'")
	}
	return q
}

// orderQueue sorts by a column, then by UAI so that pages are stable.
// Statuses sort by what is left to do (to review first); dossiers never
// touched sort after the others by activity.
func orderQueue(q *bun.SelectQuery, key string, desc bool) *bun.SelectQuery {
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	switch key {
	case queue.SortUAI:
		return q.OrderExpr("c.uai" + dir)
	case queue.SortCommune:
		q = q.OrderExpr("c.commune" + dir).OrderExpr("c.name" + dir)
	case queue.SortStatut:
		q = q.OrderExpr("CASE " + qStatus + " WHEN 'transmis' THEN 1 WHEN 'a_corriger' THEN 2 WHEN 'incomplet' THEN 3 ELSE 4 END" + dir)
	case queue.SortScore:
		q = q.OrderExpr("COALESCE(ds.score, 0)" + dir)
	case queue.SortActivite:
		q = q.OrderExpr("CASE WHEN ds.last_activity IS NULL THEN 0 ELSE 1 END" + dir).OrderExpr("ds.last_activity" + dir)
	default:
		q = q.OrderExpr("c.name" + dir)
	}
	return q.OrderExpr("c.uai ASC")
}

// searchIDs runs the queue's search in Go, accents and case folded
// (queue.MatchesSearch), over the AD's coops: nil ids and ok for no
// search, ok false when nothing matches. Neither database folds accents
// (SQLite's lower() does not even fold É), so the search runs on the
// folded names kept in memory by searchCache.
func (a *ADScope) searchIDs(ctx context.Context, search string) ([]int64, bool, error) {
	words := strings.Fields(queue.Fold(search))
	if len(words) == 0 {
		return nil, true, nil
	}
	idx, err := a.s.search.index(ctx, a)
	if err != nil {
		return nil, false, err
	}
	ids := []int64{}
	for i, hay := range idx.hay {
		if queue.MatchesWords(words, hay[0], hay[1], hay[2]) {
			ids = append(ids, idx.ids[i])
		}
	}
	return ids, len(ids) > 0, nil
}

// searchCache keeps, per AD, the folded UAI, name and commune of its coops
// (queue.Fold), so that a search folds no name: 2,000 coops are read and
// folded again only when the AD's coops changed — their count, highest id
// or latest update, checked by one small query per search. Its zero value
// is ready.
type searchCache struct {
	mu   sync.Mutex
	byAD map[int64]*searchIndex
}

type searchIndex struct {
	stamp string
	ids   []int64
	hay   [][3]string
}

func (sc *searchCache) index(ctx context.Context, a *ADScope) (*searchIndex, error) {
	adID := a.ID()
	var n, maxID int64
	var updated string
	if err := a.adCoops().
		ColumnExpr("count(*), COALESCE(max(c.id), 0), COALESCE(CAST(max(c.updated_at) AS TEXT), '')").
		Scan(ctx, &n, &maxID, &updated); err != nil {
		return nil, fmt.Errorf("queue search: %w", err)
	}
	stamp := fmt.Sprint(n, "/", maxID, "/", updated)
	sc.mu.Lock()
	idx := sc.byAD[adID]
	sc.mu.Unlock()
	if idx != nil && idx.stamp == stamp {
		return idx, nil
	}
	var coops []struct {
		ID      int64  `bun:"id"`
		UAI     string `bun:"uai"`
		Name    string `bun:"name"`
		Commune string `bun:"commune"`
	}
	if err := a.adCoops().Column("c.id", "c.uai", "c.name", "c.commune").Scan(ctx, &coops); err != nil {
		return nil, fmt.Errorf("queue search: %w", err)
	}
	idx = &searchIndex{stamp: stamp, ids: make([]int64, len(coops)), hay: make([][3]string, len(coops))}
	for i, co := range coops {
		idx.ids[i] = co.ID
		idx.hay[i] = [3]string{queue.Fold(co.UAI), queue.Fold(co.Name), queue.Fold(co.Commune)}
	}
	sc.mu.Lock()
	if sc.byAD == nil {
		sc.byAD = map[int64]*searchIndex{}
	}
	sc.byAD[adID] = idx
	sc.mu.Unlock()
	return idx, nil
}

// MarkDossierSeen records that the scope's user has seen the dossier as
// it is now, which clears its "nouveau" mark in that user's queue.
func (c *CoopScope) MarkDossierSeen(ctx context.Context, row *DossierRow) error {
	if c.actor == nil || row == nil || row.ID == 0 {
		return nil
	}
	if err := c.writable(); err != nil {
		return err
	}
	seen := &struct {
		bun.BaseModel `bun:"table:staff_seen"`
		UserID        int64     `bun:"user_id,pk"`
		CoopID        int64     `bun:"coop_id"`
		DossierID     int64     `bun:"dossier_id,pk"`
		Version       int64     `bun:"version"`
		SeenAt        time.Time `bun:"seen_at"`
	}{UserID: *c.actor, CoopID: c.id, DossierID: row.ID, Version: row.Version, SeenAt: c.s.now().UTC()}
	if _, err := c.ins(seen).On("CONFLICT (user_id, dossier_id) DO UPDATE").
		Set("version = EXCLUDED.version").Set("seen_at = EXCLUDED.seen_at").Exec(ctx); err != nil {
		return fmt.Errorf("mark dossier seen: %w", err)
	}
	return nil
}

// CampaignDates returns when the campaign's dossiers were last
// transmitted (everything received) and validated, for the progress chart;
// a dossier never transmitted or not validated has a zero time there.
func (a *ADScope) CampaignDates(ctx context.Context, campaignID int64) (transmitted, validated []time.Time, err error) {
	var rows []struct {
		Transmitted time.Time `bun:"transmitted_at"`
		Validated   time.Time `bun:"validated_at"`
	}
	if err := a.coopSel((*DossierRow)(nil)).Column("ds.transmitted_at", "ds.validated_at").
		Where("ds.campaign_id = ?", campaignID).
		Where("ds.transmitted_at IS NOT NULL OR ds.validated_at IS NOT NULL").Scan(ctx, &rows); err != nil {
		return nil, nil, fmt.Errorf("campaign dates: %w", err)
	}
	for _, r := range rows {
		transmitted = append(transmitted, r.Transmitted)
		validated = append(validated, r.Validated)
	}
	return transmitted, validated, nil
}
