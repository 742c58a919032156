package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

//go:embed migrations
var migrations embed.FS

// migration is one numbered schema change, "0001_init.sql".
type migration struct {
	version int
	name    string
	sql     string
}

// Migrate applies, in order and in one transaction, every migration of the
// dialect not yet recorded in schema_migrations. On PostgreSQL an advisory
// lock makes instances that start together take turns; SQLite's immediate
// transactions do the same.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := loadMigrations(db.dialect)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if db.dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7243001)").Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`).Error; err != nil {
			return err
		}
		return applyPending(tx, ms)
	})
	if err != nil {
		return fmt.Errorf("migrate %s schema: %w", db.dialect, err)
	}
	return nil
}

func applyPending(tx *gorm.DB, ms []migration) error {
	var done []int
	if err := scan(tx.Raw("SELECT version FROM schema_migrations"), &done); err != nil {
		return err
	}
	applied := map[int]bool{}
	for _, v := range done {
		applied[v] = true
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if err := tx.Exec(m.sql).Error; err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, time.Now().UTC()).Error; err != nil {
			return err
		}
	}
	return nil
}

func loadMigrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		b, err := migrations.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}
