package db

import (
	"context"
	"crypto/rand"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// requestChannel is the PostgreSQL channel news of requests travels on
// between instances. A transaction that changes a request notifies it,
// and PostgreSQL delivers the news to every listener when (and only if)
// the transaction commits. SQLite runs one instance: its news goes to
// this process's watchers once the transaction has committed.
const requestChannel = "casetrack_requests"

// requestTx runs fn in one transaction and sends the news it gathers to
// every watcher once it has committed.
func (db *DB) requestTx(ctx context.Context, fn func(tx runner, news *[]tracking.RequestChange) error) error {
	var news []tracking.RequestChange
	err := db.tx(ctx, func(tx *gorm.DB) error {
		news = news[:0]
		r := db.runner(tx)
		if err := fn(r, &news); err != nil {
			return err
		}
		return notify(db.dialect, r, news)
	})
	if err == nil {
		db.announce(news)
	}
	return err
}

// notify hands news to PostgreSQL inside the transaction that makes it.
func notify(dialect string, tx runner, news []tracking.RequestChange) error {
	if dialect != Postgres {
		return nil
	}
	for _, n := range news {
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if err := tx.exec("SELECT pg_notify(?, ?)", requestChannel, string(b)); err != nil {
			return err
		}
	}
	return nil
}

// announce gives committed news to this process's watchers on SQLite; on
// PostgreSQL the listener does, for every instance alike.
func (db *DB) announce(news []tracking.RequestChange) {
	if db.dialect != Postgres {
		db.hub.publish(news...)
	}
}

// WatchRequests tells of changes to requests until ctx ends, after the
// news since names when this process still has it.
func (db *DB) WatchRequests(ctx context.Context, since string) (<-chan tracking.RequestChange, error) {
	if db.dialect == Postgres {
		db.hub.startOnce.Do(func() { db.hub.start(db.listen) })
	}
	return db.hub.subscribe(ctx, since), nil
}

// requestHub hands news to this process's watchers. A watcher too slow to
// take news is told to read everything again rather than be waited for.
// It keeps the latest news, numbered, so that a watcher that reconnects
// (an event stream is cut when its write time runs out) hears what it
// missed.
type requestHub struct {
	mu        sync.Mutex
	subs      map[*watcher]struct{}
	startOnce sync.Once
	cancel    context.CancelFunc
	done      chan struct{}
	instance  string // names this process's numbering
	seq       uint64
	recent    []tracking.RequestChange // the latest news, oldest first
}

// keptNews is how much news the hub keeps for watchers that reconnect.
const keptNews = 256

type watcher struct {
	ch     chan tracking.RequestChange
	missed bool
}

func newRequestHub() *requestHub {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &requestHub{subs: map[*watcher]struct{}{}, instance: hex.EncodeToString(b)}
}

func (h *requestHub) subscribe(ctx context.Context, since string) <-chan tracking.RequestChange {
	w := &watcher{ch: make(chan tracking.RequestChange, 64)}
	h.mu.Lock()
	h.subs[w] = struct{}{}
	if since != "" {
		h.catchUp(w, since)
	}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		delete(h.subs, w)
		close(w.ch)
		h.mu.Unlock()
	}()
	return w.ch
}

// catchUp queues for w the news after since, or a resync when since is
// another process's or older than the news kept.
func (h *requestHub) catchUp(w *watcher, since string) {
	inst, num, _ := strings.Cut(since, "-")
	seq, err := strconv.ParseUint(num, 10, 64)
	first := h.seq - uint64(len(h.recent)) // the seq before the oldest kept
	if inst != h.instance || err != nil || seq < first || seq > h.seq {
		w.send(tracking.RequestChange{Resync: true})
		return
	}
	for _, n := range h.recent[seq-first:] {
		w.send(n)
	}
}

func (h *requestHub) publish(news ...tracking.RequestChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range news {
		if news[i].Resync {
			continue
		}
		h.seq++
		news[i].ID = h.instance + "-" + strconv.FormatUint(h.seq, 10)
		if h.recent = append(h.recent, news[i]); len(h.recent) > keptNews {
			h.recent = h.recent[len(h.recent)-keptNews:]
		}
	}
	for w := range h.subs {
		for _, n := range news {
			w.send(n)
		}
	}
}

// send hands news to the watcher without waiting; news it cannot take
// becomes a resync.
func (w *watcher) send(n tracking.RequestChange) {
	if w.missed {
		n = tracking.RequestChange{Resync: true}
	}
	select {
	case w.ch <- n:
		w.missed = false
	default:
		w.missed = true
	}
}

// start runs the listener until close.
func (h *requestHub) start(listen func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	go func() {
		defer close(h.done)
		listen(ctx)
	}()
}

// close stops the listener, if it runs.
func (h *requestHub) close() {
	h.startOnce.Do(func() {}) // none may start after this
	if h.cancel != nil {
		h.cancel()
		<-h.done
	}
}

// listen keeps a connection listening on requestChannel and hands what
// arrives to the hub, reconnecting after a failure (and telling watchers
// to read everything again, as news may have been missed meanwhile).
func (db *DB) listen(ctx context.Context) {
	for {
		err := db.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		slog.Warn("listening for request news failed; trying again", "err", err)
		db.hub.publish(tracking.RequestChange{Resync: true})
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// listenOnce listens on one connection of the pool until it fails. The
// connection is then thrown away, never handed back still listening.
func (db *DB) listenOnce(ctx context.Context) error {
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: unexpected driver connection %T", dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+requestChannel); err != nil {
			return fmt.Errorf("%w: %v", driver.ErrBadConn, err)
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return fmt.Errorf("%w: %v", driver.ErrBadConn, err)
			}
			var c tracking.RequestChange
			if json.Unmarshal([]byte(n.Payload), &c) == nil {
				db.hub.publish(c)
			}
		}
	})
}
