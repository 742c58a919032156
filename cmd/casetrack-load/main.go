// Command casetrack-load measures how fast casetrack takes scans, beside
// how fast PostgreSQL itself does the same writes, in one bounded run on
// loopback.
//
// It drives a real casetrack over HTTP, never its packages, so what it
// measures is what devices get: JSON, auth, the access log, the database.
// With -server it starts that casetrack itself, once per -db, on a fresh
// database (a schema of its own inside a PostgreSQL database, or a new
// SQLite file), creates its tokens with "casetrack token create", and
// removes what it made when it ends. With -url and -token it drives a
// casetrack that is already running, and -db (PostgreSQL) only feeds the
// raw baseline.
//
//	go build -o /tmp/casetrack ./cmd/casetrack
//	go run ./cmd/casetrack-load -server /tmp/casetrack \
//	    -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable' -db sqlite
//
// For every PostgreSQL -db it prints the raw rate (pgx, one transaction per
// op: INSERT a movement row, UPDATE a volume row) at -c clients; for every
// database, single POST /api/v1/scans at -c clients and its ratio to raw,
// then POST /api/v1/scans/batch with -batch scans a request. The raw
// baseline and casetrack's single scans take turns of two seconds, so both
// see the machine as it was. -phases picks the phases to run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	server       string
	dbs          []string
	url          string
	token        string
	clients      int
	duration     time.Duration
	volumes      int
	batch        int
	batchClients int
	openRequests int
	keep         bool
	verbose      bool
	// singles and batches say which timed phases run (-phases).
	singles, batches bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "casetrack-load:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "casetrack-load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("casetrack-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.server, "server", "", "path of a casetrack binary to start, once per -db")
	fs.Func("db", "a database: postgres:// URL (a fresh schema is made in it), a SQLite file path that does not exist yet, or \"sqlite\" for a temporary file (repeatable)", func(s string) error {
		c.dbs = append(c.dbs, s)
		return nil
	})
	fs.StringVar(&c.url, "url", "", "drive an already-running casetrack at this loopback URL instead of -server")
	fs.StringVar(&c.token, "token", "", "with -url: a token whose role may manage patients and scan (library, records or admin)")
	fs.IntVar(&c.clients, "c", 16, "concurrent clients for the raw and the single-scan phases")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each timed phase runs")
	fs.IntVar(&c.volumes, "volumes", 2000, "volumes (one per patient) to seed and spread scans over")
	fs.IntVar(&c.batch, "batch", 1000, "scans in one batch request")
	fs.IntVar(&c.openRequests, "open-requests", 0, "open requests (for other patients) to seed before the timed phases")
	fs.IntVar(&c.batchClients, "batch-clients", 1, "concurrent clients in the batch phase")
	fs.Func("phases", "the timed phases to run, comma separated: single, batch (default both; raw PostgreSQL runs with single)", func(s string) error {
		return c.setPhases(s)
	})
	c.singles, c.batches = true, true
	fs.BoolVar(&c.keep, "keep", false, "keep the schemas and files made for the run")
	fs.BoolVar(&c.verbose, "v", false, "pass casetrack's own log through to stderr")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.check()
}

// setPhases reads -phases.
func (c *config) setPhases(list string) error {
	c.singles, c.batches = false, false
	for _, p := range strings.Split(list, ",") {
		switch strings.TrimSpace(p) {
		case "single":
			c.singles = true
		case "batch":
			c.batches = true
		default:
			return fmt.Errorf("unknown phase %q: the phases are single and batch", p)
		}
	}
	return nil
}

func (c config) check() error {
	switch {
	case c.server == "" && c.url == "":
		return errors.New("give -server (a casetrack binary to start) or -url and -token")
	case c.server != "" && c.url != "":
		return errors.New("give -server or -url, not both")
	case c.server != "" && len(c.dbs) == 0:
		return errors.New("-server needs at least one -db")
	case c.url != "" && c.token == "":
		return errors.New("-url needs -token")
	case c.url != "" && !loopbackURL(c.url):
		return fmt.Errorf("-url %s is not on loopback: load is only ever sent to 127.0.0.1", c.url)
	case c.clients < 1 || c.batchClients < 1 || c.batch < 1 || c.batch > 10000:
		return errors.New("-c and -batch-clients must be at least 1, and -batch 1 to 10000")
	case c.volumes < c.batch*c.batchClients || c.volumes < c.clients:
		return errors.New("-volumes must be at least -batch x -batch-clients and -c, so no request scans a volume twice")
	}
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// run measures every database in turn and prints a summary at the end.
func run(ctx context.Context, cfg config, out io.Writer) error {
	var rep report
	if cfg.url != "" {
		t := target{name: "casetrack at " + cfg.url, url: cfg.url, token: cfg.token}
		for _, dsn := range cfg.dbs {
			if isPostgres(dsn) {
				t.dsn = dsn // the raw baseline it is compared with
				break
			}
		}
		if err := withBaseline(ctx, cfg, t.dsn, func(raw *rawBaseline) error {
			return measureTarget(ctx, cfg, &rep, t, raw)
		}); err != nil {
			return err
		}
	}
	for _, dsn := range cfg.dbs {
		if cfg.server == "" {
			continue
		}
		if err := withBaseline(ctx, cfg, dsn, func(raw *rawBaseline) error {
			return measureManaged(ctx, cfg, &rep, dsn, raw)
		}); err != nil {
			return err
		}
	}
	rep.print(out)
	return nil
}

// withBaseline calls fn with the raw PostgreSQL baseline ready, when dsn is
// PostgreSQL's and single scans are measured, and with nil otherwise.
func withBaseline(ctx context.Context, cfg config, dsn string, fn func(raw *rawBaseline) error) error {
	if !isPostgres(dsn) || !cfg.singles {
		return fn(nil)
	}
	raw, err := startRaw(ctx, cfg, dsn)
	if err != nil {
		return err
	}
	defer raw.close()
	return fn(raw)
}

// measureManaged starts casetrack on a fresh database and measures it.
func measureManaged(ctx context.Context, cfg config, rep *report, dsn string, raw *rawBaseline) error {
	fresh, cleanup, err := freshDatabase(ctx, dsn, cfg.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, err := startServer(ctx, cfg.server, fresh, cfg.verbose)
	if err != nil {
		return err
	}
	defer srv.stop()
	return measureTarget(ctx, cfg, rep, target{name: "casetrack on " + dialectName(dsn), dsn: dsn, url: srv.url, token: srv.token}, raw)
}

// target is one casetrack to drive.
type target struct {
	name  string
	dsn   string
	url   string
	token string
}

// measureTarget seeds a casetrack and runs the single and batch phases,
// the single one side by side in time with the raw baseline, if there is
// one.
func measureTarget(ctx context.Context, cfg config, rep *report, t target, raw *rawBaseline) error {
	cl := newClient(t.url, t.token, cfg.clients+cfg.batchClients)
	start := time.Now()
	seed, err := seedTrust(ctx, cl, cfg.volumes, cfg.clients)
	if err != nil {
		return fmt.Errorf("seed %s: %w", t.name, err)
	}
	if err := seedRequests(ctx, cl, seed, cfg.openRequests, cfg.clients); err != nil {
		return fmt.Errorf("seed requests on %s: %w", t.name, err)
	}
	fmt.Fprintf(os.Stderr, "seeded %s: %d volumes, %d open requests in %s\n", t.name, len(seed.volumes), cfg.openRequests,
		time.Since(start).Round(time.Millisecond))
	if cfg.singles {
		var baseline func(time.Duration) (result, error)
		if raw != nil {
			baseline = func(d time.Duration) (result, error) { return raw.run(ctx, cfg.clients, d) }
		}
		base, res, err := interleave(cfg.duration, baseline, func(d time.Duration) (result, error) {
			return runSingles(ctx, cl, seed, cfg.clients, d)
		})
		if err != nil {
			return fmt.Errorf("single scans on %s: %w", t.name, err)
		}
		if raw != nil {
			rep.add(os.Stdout, "raw PostgreSQL (pgx)", t.dsn, base)
		}
		rep.add(os.Stdout, t.name+": POST /scans", t.dsn, res)
	}
	if !cfg.batches {
		return nil
	}
	batch, err := runBatches(ctx, cl, seed, cfg.batch, cfg.batchClients, cfg.duration)
	if err != nil {
		return fmt.Errorf("batches on %s: %w", t.name, err)
	}
	rep.add(os.Stdout, fmt.Sprintf("%s: POST /scans/batch x%d", t.name, cfg.batch), t.dsn, batch)
	return nil
}

// baselineSlice is how long the baseline and casetrack take turns for: a
// machine's speed drifts over a run (other work, PostgreSQL's own
// checkpoints), and a ratio of two phases measured one after the other
// carried that drift; turns this short share it.
const baselineSlice = 2 * time.Second

// interleave runs phase for d in all. With a baseline it runs the baseline
// and the phase in turns of baselineSlice, each for d in all, and returns
// both; without one (nil) it runs the phase alone.
func interleave(d time.Duration, baseline, phase func(time.Duration) (result, error)) (base, res result, err error) {
	if baseline == nil {
		res, err = phase(d)
		return base, res, err
	}
	for left := d; left > 0; left -= baselineSlice {
		turn := min(left, baselineSlice)
		b, err := baseline(turn)
		if err != nil {
			return base, res, err
		}
		base.add(b)
		r, err := phase(turn)
		if err != nil {
			return base, res, err
		}
		res.add(r)
	}
	return base, res, nil
}

func dialectName(dsn string) string {
	if isPostgres(dsn) {
		return "PostgreSQL"
	}
	return "SQLite"
}
