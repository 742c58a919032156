package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// server is a casetrack this run started and will stop.
type server struct {
	cmd   *exec.Cmd
	url   string
	token string
	done  chan error
}

// startServer creates a token on the database, then starts "serve" on a
// free loopback port and waits until it is accepting connections.
func startServer(ctx context.Context, bin, dsn string, verbose bool) (*server, error) {
	token, err := createToken(ctx, bin, dsn)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, token: token, done: make(chan error, 1)}
	addr, err := listeningAddr(stderr, verbose)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	s.url = "http://" + addr
	go func() { s.done <- cmd.Wait() }()
	return s, nil
}

// createToken runs "casetrack token create", which prints the token alone
// on its last line. The library role may seed patients and scan.
func createToken(ctx context.Context, bin, dsn string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "token", "create", "--name", "load-"+randomHex(4), "--role", "library", "--db", dsn)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("token create: %w: %s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// listeningAddr reads casetrack's JSON log until it says where it listens,
// then keeps draining it (to stderr when verbose) so the server never
// blocks on a full pipe: its access log is part of what is measured.
func listeningAddr(r io.Reader, verbose bool) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			if verbose {
				fmt.Fprintln(os.Stderr, sc.Text())
			}
			var entry struct{ Msg, Addr string }
			if !sent && json.Unmarshal(sc.Bytes(), &entry) == nil && entry.Msg == "casetrack listening" {
				found <- entry.Addr
				sent = true
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			return "", errors.New("casetrack exited before it was listening (run with -v to see its log)")
		}
		return addr, nil
	case <-time.After(time.Minute):
		return "", errors.New("casetrack did not start listening within a minute")
	}
}

// stop asks the server to shut down gracefully and waits for it.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// freshDatabase returns a DSN for an empty database standing for dsn and
// a function removing it: a new schema inside a PostgreSQL database, or a
// new SQLite file.
func freshDatabase(ctx context.Context, dsn string, keep bool) (string, func(), error) {
	switch {
	case isPostgres(dsn):
		return freshSchema(ctx, dsn, "ctload_", keep)
	case dsn == "sqlite":
		dir, err := os.MkdirTemp("", "casetrack-load-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "casetrack.db"), func() { removeUnless(keep, dir) }, nil
	}
	if _, err := os.Stat(dsn); err == nil {
		return "", nil, fmt.Errorf("%s already exists: give a new file, or \"sqlite\" for a temporary one", dsn)
	}
	return dsn, func() { removeUnless(keep, dsn, dsn+"-wal", dsn+"-shm") }, nil
}

func removeUnless(keep bool, paths ...string) {
	if keep {
		fmt.Fprintln(os.Stderr, "kept", strings.Join(paths, " "))
		return
	}
	for _, p := range paths {
		os.RemoveAll(p)
	}
}

// freshSchema makes a schema and returns dsn with it as the search path.
func freshSchema(ctx context.Context, dsn, prefix string, keep bool) (string, func(), error) {
	schema := prefix + randomHex(6)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { dropSchema(dsn, schema, keep) }, nil
}

func dropSchema(dsn, schema string, keep bool) {
	if keep {
		fmt.Fprintln(os.Stderr, "kept schema", schema)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "drop schema:", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		fmt.Fprintln(os.Stderr, "drop schema:", err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
