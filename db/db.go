// Package db keeps casetrack's data in PostgreSQL (production) or SQLite
// (the embedded default) through gorm. It owns the dialects, the schema and
// its migrations, and turns driver errors into tracking errors, so nothing
// above it knows which database it runs on.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/jackc/pgx/v5/pgconn"
	sqlite "github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects casetrack runs on.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is an open database. It implements tracking.Store.
type DB struct {
	gorm    *gorm.DB
	dialect string
	// writers queues this process's SQLite write transactions. SQLite
	// allows one writer at a time and makes the others poll with growing
	// sleeps; queueing them here instead hands the lock straight on, which
	// keeps a busy scan station's slowest answers fast.
	writers sync.Mutex
	// writer is SQLite's connection for write transactions: always the
	// same one. In WAL mode a connection throws its whole page cache away
	// whenever another connection has written since it last read, so
	// writes spread over a pool re-read (and re-allocate) every page they
	// touch; one writer keeps its cache. Nil on PostgreSQL.
	writer *gorm.DB
	// hub hands news of requests to this process's watchers.
	hub *requestHub
}

var _ tracking.Store = (*DB)(nil)

// Dialect says which database DB is on.
func (db *DB) Dialect() string { return db.dialect }

// Gorm gives tests and admin tools the underlying handle.
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Open connects to the database a DSN names and brings its schema up to
// date: a postgres:// or postgresql:// URL selects PostgreSQL; a file path,
// optionally prefixed "sqlite:", selects SQLite.
func Open(ctx context.Context, dsn string) (*DB, error) {
	dialect, dialector, err := dialectorFor(dsn)
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		if err := sqliteSettings(); err != nil {
			slog.Warn("SQLite runs with its default settings, which are slower", "err", err)
		}
	}
	g, err := openGorm(dialect, dialector)
	if err != nil {
		return nil, err
	}
	db := &DB{gorm: g, dialect: dialect, hub: newRequestHub()}
	if dialect == SQLite {
		if db.writer, err = openGorm(dialect, sqlite.Open(sqliteDSN(sqlitePath(dsn)))); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.configurePool(); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func dialectorFor(dsn string) (string, gorm.Dialector, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, postgres.Open(dsn), nil
	case dsn == "":
		return "", nil, errors.New("no database given: set --db or CASETRACK_DB")
	case inMemory(sqlitePath(dsn)):
		// Every scan would be gone at exit, and the writer's connection
		// would not even share the readers' database.
		return "", nil, errors.New("an in-memory SQLite database keeps nothing: give --db a file path")
	}
	return SQLite, sqlite.Open(sqliteDSN(sqlitePath(dsn))), nil
}

// sqlitePath is the file a SQLite DSN names.
func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite:") }

func inMemory(path string) bool {
	return path == ":memory:" || strings.HasPrefix(path, "file::memory:") || strings.Contains(path, "mode=memory")
}

func openGorm(dialect string, dialector gorm.Dialector) (*gorm.DB, error) {
	g, err := gorm.Open(dialector, &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// SQLite parses every statement afresh unless it is kept
		// prepared; pgx keeps its own statement cache for PostgreSQL.
		PrepareStmt: dialect == SQLite,
		Logger:      logger.Discard,
		NowFunc:     func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	return g, nil
}

// sqliteDSN adds the settings casetrack relies on to a SQLite path: WAL so
// readers never wait for the writer, a busy timeout so writers queue instead
// of failing, foreign keys enforced, full fsync at commit so an acknowledged
// scan survives a power cut, and immediate transactions so two writers never
// deadlock upgrading a read lock. The log is copied back into the database
// every 8192 pages (32 MiB) rather than SQLite's 1000: a volume's page is
// rewritten by scan after scan, and a longer log copies it back once for
// many scans instead of once for each few.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "wal_autocheckpoint(8192)")
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}

func (db *DB) configurePool() error {
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return fmt.Errorf("database handle: %w", err)
	}
	if db.dialect == SQLite {
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
		w, err := db.writer.DB()
		if err != nil {
			return fmt.Errorf("database handle: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.hub.close()
	var errs []error
	for _, g := range []*gorm.DB{db.gorm, db.writer} {
		if g == nil {
			continue
		}
		sqlDB, err := g.DB()
		if err == nil {
			err = sqlDB.Close()
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Empty reports whether no location or patient has been stored yet.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int64
	err := scan(db.gorm.WithContext(ctx).Raw("SELECT (SELECT COUNT(*) FROM locations) + (SELECT COUNT(*) FROM patients)"), &n)
	return n == 0, translate(err, "")
}

// translate turns a driver error into a tracking error, so that callers
// handle "already exists" and "no such thing" without knowing the driver.
// what names the thing for messages ("location WARD7").
func translate(err error, what string) error {
	var te *tracking.Error
	if err == nil {
		return nil
	}
	// Raw queries bypass gorm's own translation, so ask both drivers'.
	err = postgres.Dialector{}.Translate(sqlite.Dialector{}.Translate(err))
	switch {
	case errors.As(err, &te):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return tracking.Errorf(tracking.ENOTFOUND, "No %s was found.", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return tracking.Errorf(tracking.ECONFLICT, "A %s already exists.", what)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return tracking.Errorf(tracking.ECONFLICT, "That %s refers to something that does not exist or is still in use.", what)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("database: %w", err)
	case badText(err):
		return tracking.Errorf(tracking.EINVALID, "The %s contains characters that cannot be stored (such as NUL).", what)
	case unreachable(err):
		slog.Error("database out of reach", "err", err)
		msg := "casetrack cannot reach its database just now: nothing was saved. Try again in a moment."
		var ce *pgconn.ConnectError
		if !errors.As(err, &ce) {
			// The connection went during the request, perhaps after its
			// commit was sent: a scan (its id makes it safe) may be sent
			// again as it is; anything else should be looked up first.
			msg = "casetrack lost its database during the request: it may not have been saved. Look before doing it again (a scan may simply be sent again)."
		}
		return &tracking.Error{Code: tracking.EUNAVAILABLE, Message: msg}
	}
	slog.Debug("database error", "err", err)
	return fmt.Errorf("database: %w", err)
}

// tx runs fn in one transaction: every public store method that writes
// more than one row goes through here.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if db.dialect == SQLite {
		db.writers.Lock()
		defer db.writers.Unlock()
		return db.writer.WithContext(ctx).Transaction(fn)
	}
	return db.gorm.WithContext(ctx).Transaction(fn)
}

// rebind numbers the "?" placeholders of SQL written for gorm ($1, $2...)
// for PostgreSQL, for the few hot queries that go to the connection pool
// directly. Their text holds no "?" other than placeholders.
func (db *DB) rebind(sql string) string {
	if db.dialect != Postgres || !strings.Contains(sql, "?") {
		return sql
	}
	var b strings.Builder
	b.Grow(len(sql) + 8)
	n := 0
	for i := 0; i < len(sql); i++ {
		if sql[i] != '?' {
			b.WriteByte(sql[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// scan runs a query and reads all its rows into dest. It stands in for
// gorm's Scan, which renders every statement with its arguments as text
// for a logger even when logging is off: on a 500-scan insert that costs
// more than the database does.
func scan(q *gorm.DB, dest any) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		if err := q.ScanRows(rows, dest); err != nil {
			return err
		}
	}
	return rows.Err()
}

// unreachable reports whether err is the database out of reach (down,
// the network cut, a connection dropped mid-statement) rather than a
// statement it refused: the request can be sent again unchanged, and
// scan stations keep such a scan queued.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, sql.ErrConnDone)
}

// badText reports PostgreSQL refusing text: a NUL byte or invalid UTF-8.
func badText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}
