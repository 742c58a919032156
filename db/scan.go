package db

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// scanChunk is how many scans share one transaction: large enough that a
// 10,000-scan batch takes twenty transactions of a few statements each,
// small enough that other devices' scans of the same volumes never wait long.
const scanChunk = 500

// errScanIDRace reports that another transaction stored one of the chunk's
// scan ids after the chunk looked: the chunk is taken again from the start.
var errScanIDRace = errors.New("scan id stored concurrently")

// RecordScans stores the source's records in order, a chunk to a
// transaction. Each record is atomic on its own: a repeat scan id changes
// nothing and gets the first answer, whatever else is in the chunk. A
// lone scan on PostgreSQL is first tried as one statement (recordOne); a
// batch on SQLite is taken a stage at a time (recordStaged); on
// PostgreSQL a batch is taken whole and its chunks overlapped.
func (db *DB) RecordScans(ctx context.Context, src tracking.ScanSource) error {
	if db.dialect == SQLite && src.Len() > scanChunk {
		return db.recordStaged(ctx, src)
	}
	recs, err := src.Next(ctx, src.Len())
	if err != nil {
		return err
	}
	if len(recs) == 1 {
		done, err := db.recordOne(ctx, recs[0])
		if err != nil && !retryable(err) {
			return translate(err, "scan")
		}
		if done {
			return nil
		}
	}
	return db.recordChunks(ctx, recs)
}

// recordChunks writes resolved records a chunk to a transaction.
func (db *DB) recordChunks(ctx context.Context, recs []*tracking.ScanRecord) error {
	chunks := slices.Collect(slices.Chunk(recs, scanChunk))
	if db.dialect == Postgres && overlappable(chunks) {
		return db.recordOverlapped(ctx, chunks)
	}
	for _, chunk := range chunks {
		if err := db.recordChunk(ctx, chunk); err != nil {
			forget(chunk)
			return translate(err, "scan")
		}
	}
	return nil
}

// forget clears the answers of a chunk that was not stored.
func forget(chunk []*tracking.ScanRecord) {
	for _, r := range chunk {
		r.Response, r.Repeat = nil, false
	}
}

// recordChunk writes a chunk, taking it again when it lost a race for a
// scan id or PostgreSQL chose it as a deadlock or serialisation victim.
func (db *DB) recordChunk(ctx context.Context, chunk []*tracking.ScanRecord) error {
	return db.recordChunkAfter(ctx, chunk, nil, nil)
}

// recordChunkAfter is recordChunk for a chunk that must not lock volumes
// before the chunk ahead of it has (after is closed then); locked, when
// set, is called once the chunk holds its own locks, or has given up.
func (db *DB) recordChunkAfter(ctx context.Context, chunk []*tracking.ScanRecord, after <-chan struct{}, locked func()) error {
	if locked == nil {
		locked = func() {}
	}
	if after != nil {
		select {
		case <-after:
		case <-ctx.Done():
			locked()
			return ctx.Err()
		}
	}
	// Each try decides afresh from the records as they were resolved.
	type resolved struct {
		result  tracking.ScanResult
		effects tracking.Effects
	}
	base := make([]resolved, len(chunk))
	for i, r := range chunk {
		base[i] = resolved{r.Result, r.Effects}
	}
	// The first try assumes the scan ids are new (the service has looked
	// a batch's up already); a claim that comes up short means one was
	// not, and the retry looks them up inside the transaction.
	checkFirst := false
	for attempt := 1; ; attempt++ {
		for i, r := range chunk {
			r.Result, r.Effects, r.Response, r.Repeat = base[i].result, base[i].effects, nil, false
		}
		w := &chunkWriter{db: db, dialect: db.dialect, recs: chunk, checkFirst: checkFirst, locked: locked}
		err := db.tx(ctx, w.write)
		if err == nil {
			db.announce(w.news)
		}
		if err == nil || attempt == 4 || !retryable(err) {
			locked()
			return err
		}
		checkFirst = true
	}
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
		return true
	}
	return errors.Is(err, errScanIDRace)
}

// chunkWriter decides and writes one chunk inside one transaction.
type chunkWriter struct {
	db         *DB
	dialect    string
	recs       []*tracking.ScanRecord
	checkFirst bool
	tx         *gorm.DB
	locked     func() // called when the chunk's volumes are locked
	decision   *tracking.Decision
	// locs are the locations the chunk's records carry, by id: the
	// decision reads others through Location.
	locs map[int64]*tracking.Location
	// news is what the chunk did to requests, for watchers once committed.
	news []tracking.RequestChange
}

func (w *chunkWriter) write(tx *gorm.DB) error {
	w.tx = tx
	w.decision = tracking.NewDecision(w.recs)
	if err := w.lockVolumes(); err != nil {
		return err
	}
	// The requests too are held before the chunk behind may lock: a
	// request both chunks bring volumes for is met in list order.
	if err := w.holdRequests(); err != nil {
		return err
	}
	w.locked()
	if err := w.markStored(); err != nil {
		return err
	}
	if err := w.decision.Decide(w); err != nil {
		return err
	}
	if err := w.insert(); err != nil {
		return err
	}
	return w.writeEffects()
}

// lockVolumes locks every volume the chunk moves, in the order the
// decision gives, and hands the decision their state.
func (w *chunkWriter) lockVolumes() error {
	w.locs = map[int64]*tracking.Location{}
	for _, r := range w.recs {
		if r.Moves() {
			w.remember(r.Volume.Current, r.Volume.Home, r.Target)
		}
	}
	ids := w.decision.VolumeIDs()
	if len(ids) == 0 {
		return nil
	}
	where, arg := inList(w.dialect, "id", ids)
	q := "SELECT id, current_location_id, current_since, last_scanned_at, patient_id, requested, " + statusCode +
		" FROM volumes WHERE " + where + " ORDER BY id"
	if w.dialect == Postgres {
		q += " FOR UPDATE"
	}
	rows, err := w.tx.Raw(q, arg).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, patient int64
		var st tracking.VolumeState
		var last *time.Time
		var requested bool
		var status int
		if err := rows.Scan(&id, &st.CurrentID, &st.Since, &last, &patient, &requested, &status); err != nil {
			return err
		}
		if requested {
			w.decision.HoldRequested(id, patient)
		}
		st.Since = st.Since.UTC()
		if last != nil {
			st.LastScanAt = last.UTC()
		}
		w.decision.Hold(id, st)
		w.decision.HoldStatus(id, codedStatuses[status])
	}
	return rows.Err()
}

// statusCode reads, with a volume's lock, what of its status a scan's
// decision needs (see tracking.Decision.HoldStatus) as a number, so that
// locking a chunk copies no text for each volume; codedStatuses reads it.
const statusCode = `CASE status WHEN 'missing' THEN 1 WHEN 'destroyed' THEN 2 WHEN 'amalgamated' THEN 3 ELSE 0 END`

// codedStatuses are the statuses statusCode names; any other is movable
// and not missing, which is all the decision asks.
var codedStatuses = [4]tracking.VolumeStatus{"", tracking.StatusMissing, tracking.StatusDestroyed, tracking.StatusAmalgamated}

func (w *chunkWriter) remember(ls ...*tracking.Location) {
	for _, l := range ls {
		if l != nil && l.ID != 0 {
			w.locs[l.ID] = l
		}
	}
}

// markStored gives records whose scan id is already stored their first
// answer. It runs on retries only: a first try's insert finds out anyway.
func (w *chunkWriter) markStored() error {
	if !w.checkFirst {
		return nil
	}
	ids := make([]string, len(w.recs))
	for i, r := range w.recs {
		ids[i] = r.Scan.ScanID
	}
	stored, err := storedResponses(storedQuery(w.dialect, w.tx, ids))
	if err != nil {
		return err
	}
	for _, r := range w.recs {
		if resp, ok := stored[r.Scan.ScanID]; ok {
			r.Response, r.Repeat = []byte(resp), true
		}
	}
	return nil
}

// storedResponses reads (scan_id, response) rows into a map.
func storedResponses(q *gorm.DB) (map[string]string, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, resp string
		if err := rows.Scan(&id, &resp); err != nil {
			return nil, err
		}
		out[id] = resp
	}
	return out, rows.Err()
}
