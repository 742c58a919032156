package db

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// runner runs the statements of one transaction. sqlRunner runs each as
// it comes; pipeRunner, for the PAS feed on PostgreSQL, holds statements
// that return nothing and sends them with the next query, in one round
// trip to the database.
type runner interface {
	// exec runs a statement whose result is not needed (a pipeRunner
	// reports its failure with the next query or the commit).
	exec(query string, args ...any) error
	// each runs a query and calls row for each row, with its Scan.
	each(query string, row func(scan scanFunc) error, args ...any) error
}

// scanFunc reads the current row's columns into dest.
type scanFunc func(dest ...any) error

// queryAll runs a query and reads every row it returns with read.
func queryAll[T any](r runner, read func(scan scanFunc) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := r.each(query, func(scan scanFunc) error {
		v, err := read(scan)
		out = append(out, v)
		return err
	}, args...)
	return out, err
}

// queryOne runs a query that returns at most one row into dest, and
// reports whether it returned one.
func queryOne(r runner, query string, dest []any, args ...any) (bool, error) {
	found := false
	err := r.each(query, func(scan scanFunc) error {
		found = true
		return scan(dest...)
	}, args...)
	return found, err
}

// sqlRunner runs statements in a gorm transaction (or on the pool),
// straight on its connection: gorm renders every statement with its
// arguments for a logger, which costs more than the database on a batch
// of thousands of rows.
type sqlRunner struct {
	db *DB
	tx *gorm.DB
}

func (db *DB) runner(tx *gorm.DB) sqlRunner { return sqlRunner{db: db, tx: tx} }

func (r sqlRunner) exec(query string, args ...any) error {
	_, err := r.tx.Statement.ConnPool.ExecContext(r.tx.Statement.Context, r.db.rebind(query), args...)
	return err
}

func (r sqlRunner) each(query string, row func(scan scanFunc) error, args ...any) error {
	rows, err := r.tx.Statement.ConnPool.QueryContext(r.tx.Statement.Context, r.db.rebind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, row)
}

// eachRow calls row for each row of rows (database/sql's or pgx's).
func eachRow(rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}, row func(scan scanFunc) error) error {
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pipeRunner runs one PostgreSQL transaction on a pgx connection,
// sending the statements it holds (BEGIN first) with the next query as
// one pipeline: a PAS message's reads, writes and commit take two round
// trips where each statement on its own would take five.
type pipeRunner struct {
	ctx    context.Context
	conn   *pgx.Conn
	db     *DB
	held   []heldStatement
	begun  bool
	failed bool
}

type heldStatement struct {
	sql  string
	args []any
}

func (p *pipeRunner) exec(query string, args ...any) error {
	p.held = append(p.held, heldStatement{p.db.rebind(query), args})
	return nil
}

func (p *pipeRunner) each(query string, row func(scan scanFunc) error, args ...any) error {
	b := p.batch()
	b.Queue(p.db.rebind(query), args...)
	return p.send(b, b.Len()-1, func(br pgx.BatchResults) error {
		rows, err := br.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRow(rows, row)
	})
}

// finish sends what is held, a last query whose one row goes into dest,
// and COMMIT.
func (p *pipeRunner) finish(query string, dest []any, args ...any) error {
	b := p.batch()
	b.Queue(p.db.rebind(query), args...)
	b.Queue("COMMIT")
	return p.send(b, b.Len()-2, func(br pgx.BatchResults) error {
		if err := br.QueryRow().Scan(dest...); err != nil {
			return err
		}
		_, err := br.Exec()
		return err
	})
}

// rollback ends a transaction that failed, if one is open.
func (p *pipeRunner) rollback() {
	if p.conn.PgConn().TxStatus() != 'I' {
		p.conn.Exec(context.WithoutCancel(p.ctx), "ROLLBACK")
	}
}

// batch is the held statements, after BEGIN when none has been sent yet.
func (p *pipeRunner) batch() *pgx.Batch {
	b := &pgx.Batch{}
	if !p.begun {
		b.Queue("BEGIN")
		p.begun = true
	}
	for _, s := range p.held {
		b.Queue(s.sql, s.args...)
	}
	p.held = p.held[:0]
	return b
}

// send sends a batch, checks the results of its first plain statements,
// and has rest read the others'.
func (p *pipeRunner) send(b *pgx.Batch, plain int, rest func(pgx.BatchResults) error) error {
	if p.failed {
		return errors.New("db: a statement of this transaction failed")
	}
	br := p.conn.SendBatch(p.ctx, b)
	err := func() error {
		for range plain {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		return rest(br)
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	p.failed = err != nil
	return err
}

// withPipe runs fn with a pipeRunner on a connection of the pool of its
// own, rolling back whatever fn leaves open when it fails.
func (db *DB) withPipe(ctx context.Context, fn func(p *pipeRunner) error) error {
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(interface{ Conn() *pgx.Conn })
		if !ok {
			return errors.New("db: the PostgreSQL driver is not pgx's")
		}
		p := &pipeRunner{ctx: ctx, conn: c.Conn(), db: db}
		err := fn(p)
		if err != nil {
			p.rollback()
		}
		return err
	})
}
