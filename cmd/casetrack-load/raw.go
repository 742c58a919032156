package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// rawOps is the baseline's data: volume ids and the two locations.
type rawOps struct {
	volumes []int64
	places  [2]int64
	next    atomic.Int64
}

// rawBaseline is the baseline: what PostgreSQL itself does with the writes
// a movement needs, in a fresh schema migrated exactly as casetrack's (so
// the same tables, indexes and foreign keys), at the same concurrency.
// Each op is one transaction: INSERT a movement, UPDATE its volume.
type rawBaseline struct {
	pool    *pgxpool.Pool
	ops     *rawOps
	cleanup func()
}

// startRaw makes and seeds the baseline's schema.
func startRaw(ctx context.Context, cfg config, dsn string) (*rawBaseline, error) {
	fresh, cleanup, err := freshSchema(ctx, dsn, "ctload_raw_", cfg.keep)
	if err != nil {
		return nil, err
	}
	raw := &rawBaseline{cleanup: cleanup}
	if err := raw.open(ctx, fresh, cfg); err != nil {
		raw.close()
		return nil, err
	}
	return raw, nil
}

func (raw *rawBaseline) open(ctx context.Context, fresh string, cfg config) error {
	d, err := db.Open(ctx, fresh)
	if err != nil {
		return fmt.Errorf("migrate the raw schema: %w", err)
	}
	d.Close()
	pcfg, err := pgxpool.ParseConfig(fresh)
	if err != nil {
		return err
	}
	pcfg.MaxConns = int32(cfg.clients)
	if raw.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return err
	}
	if raw.ops, err = seedRaw(ctx, raw.pool, cfg.volumes); err != nil {
		return fmt.Errorf("seed the raw schema: %w", err)
	}
	fmt.Fprintf(os.Stderr, "seeded raw PostgreSQL: %d volumes\n", len(raw.ops.volumes))
	return nil
}

func (raw *rawBaseline) close() {
	if raw.pool != nil {
		raw.pool.Close()
	}
	raw.cleanup()
}

// run has clients move volumes, one op at a time each, for d.
func (raw *rawBaseline) run(ctx context.Context, clients int, d time.Duration) (result, error) {
	res := timed(clients, d, func(_ int, deadline time.Time) result {
		var r result
		for time.Now().Before(deadline) && ctx.Err() == nil {
			start := time.Now()
			err := raw.ops.move(ctx, raw.pool, raw.ops.next.Add(1)-1)
			r.latencies = append(r.latencies, time.Since(start))
			if err != nil {
				r.errors++
				continue
			}
			r.requests++
			r.scans++
		}
		return r
	})
	return res, ctx.Err()
}

// seedRaw adds a library, two places and n patients with a volume each.
func seedRaw(ctx context.Context, pool *pgxpool.Pool, n int) (*rawOps, error) {
	const seed = `INSERT INTO locations (code, name, kind, created_at) VALUES
		('LIB', 'Library', 'library', now()), ('WARD', 'Ward', 'ward', now()), ('CLINIC', 'Clinic', 'clinic', now());
	INSERT INTO patients (hospital_number, family_name, created_at)
		SELECT 'P' || g, 'Load', now() FROM generate_series(1, %d) g;
	INSERT INTO volumes (patient_id, number, barcode, status, home_location_id, current_location_id, current_since, created_at)
		SELECT p.id, 1, 'V' || p.id, 'active', l.id, l.id, now(), now() FROM patients p, locations l WHERE l.code = 'LIB';`
	if _, err := pool.Exec(ctx, fmt.Sprintf(seed, n), pgx.QueryExecModeSimpleProtocol); err != nil {
		return nil, err
	}
	ops := &rawOps{}
	rows, _ := pool.Query(ctx, "SELECT id FROM volumes ORDER BY id")
	vols, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	ops.volumes = vols
	err = pool.QueryRow(ctx, "SELECT (SELECT id FROM locations WHERE code = 'WARD'), (SELECT id FROM locations WHERE code = 'CLINIC')").
		Scan(&ops.places[0], &ops.places[1])
	return ops, err
}

// move is one op: the n-th volume booked to the other place, in one
// transaction, as a single scan books it.
func (o *rawOps) move(ctx context.Context, pool *pgxpool.Pool, n int64) error {
	nv := int64(len(o.volumes))
	vol, to := o.volumes[n%nv], o.places[(n/nv)%2]
	now := time.Now().UTC()
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
			VALUES ($1, $2, $3, $3, 'load', '', 'api', $4)`, vol, to, now, fmt.Sprintf("raw-%d", n))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE volumes SET current_location_id = $1, last_scanned_at = $2,
			current_since = CASE WHEN current_location_id = $1 THEN current_since ELSE $2 END WHERE id = $3`, to, now, vol)
		return err
	})
}
