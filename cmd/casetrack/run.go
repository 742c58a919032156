package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
	"github.com/casetrack/casetrack/tracking/web"
	"github.com/gofiber/fiber/v2"
)

// Main is one run of casetrack: its configuration and everything it
// started, so Close can stop it all in reverse order.
type Main struct {
	Config Config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Logger *slog.Logger

	DB      *db.DB
	Service *tracking.Service
	app     *fiber.App
	ln      net.Listener
	tcp     io.Closer
	hl7     io.Closer
	hl7Addr string
	served  chan struct{}
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// ParseFlags reads the command line into m.Config.
func (m *Main) ParseFlags(args []string) error {
	c, err := ParseConfig(args, m.Getenv, m.Stderr)
	m.Config = c
	return err
}

// Serving reports whether Run started the HTTP server.
func (m *Main) Serving() bool { return m.ln != nil }

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// Run opens the database and carries out the command. For serve it
// returns once the server is accepting connections.
func (m *Main) Run(ctx context.Context) error {
	m.Logger = newLogger(m.Stderr, m.Config.LogLevel)
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	d, err := db.Open(openCtx, m.Config.DB)
	if err != nil {
		return err
	}
	m.DB = d
	m.Service = m.newService(d)
	switch m.Config.Command {
	case "token create":
		return m.createToken(ctx)
	case "user create":
		return m.createUser(ctx)
	case "user set":
		return m.setUser(ctx)
	case "import":
		return m.runImport(ctx)
	}
	return m.serve(ctx)
}

// newService is the domain over the database, with this run's logger,
// session lengths and loan periods.
func (m *Main) newService(d *db.DB) *tracking.Service {
	svc := tracking.NewService(d, scanner.Parse)
	svc.Logger = m.Logger
	if m.Config.SessionIdle > 0 {
		svc.SessionIdle, svc.SessionMaxAge = m.Config.SessionIdle, m.Config.SessionMaxAge
	}
	svc.RequestLead, svc.WantedHorizon = m.Config.RequestLead, m.Config.WantedHorizon
	if m.Config.Loans.TransitLimit > 0 {
		svc.Loans, svc.MissingEscalation = m.Config.Loans, m.Config.MissingEscalation
	}
	svc.TwoPersonDestruction = m.Config.TwoPersonDestruction
	return svc
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func (m *Main) serve(ctx context.Context) error {
	if m.Config.Demo {
		if err := m.loadDemo(ctx); err != nil {
			return err
		}
	}
	printers, err := web.ParsePrinters(m.Config.Printers)
	if err != nil {
		return err
	}
	layouts, err := readLayouts(m.Config.LabelLayouts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.app = web.NewApp(web.Server{Service: m.Service, Logger: m.Logger, Printers: printers, Layouts: layouts,
		SecureCookies: m.Config.SecureCookies, TrustedProxies: splitList(m.Config.TrustedProxies)})
	m.served = make(chan struct{})
	go func() {
		defer close(m.served)
		if err := m.app.Listener(web.Listener(m.ln)); err != nil {
			m.Logger.Error("http server stopped", "err", err)
		}
	}()
	if err := m.startTCP(ctx); err != nil {
		return err
	}
	if err := m.startHL7(ctx); err != nil {
		return err
	}
	m.Logger.Info("casetrack listening", "addr", m.Addr(), "db", m.DB.Dialect())
	return nil
}

// Close stops what Run started, in reverse order: no new messages from
// the PAS feed (those being applied finish and are answered), no new
// scans from the TCP listener, then in-flight HTTP requests finish, then
// the database.
func (m *Main) Close() error {
	var errs []error
	for _, c := range []io.Closer{m.hl7, m.tcp} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	if m.app != nil {
		errs = append(errs, m.app.ShutdownWithTimeout(30*time.Second))
		// A shutdown just after start can come before the server took the
		// listener, and would leave it serving: closing it ends that.
		_ = m.ln.Close()
		<-m.served
	} else if m.ln != nil {
		errs = append(errs, m.ln.Close())
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}

// commandLine is who the user and token commands act as in the records:
// whoever can run them holds the database. The name has a space, so no
// user can have it.
var commandLine = tracking.Actor{Name: "command line", Role: tracking.RoleAdmin, Kind: tracking.ActorSystem}

func (m *Main) createToken(ctx context.Context) error {
	if err := checkNameRole(m.Config); err != nil {
		return err
	}
	t, secret, err := m.Service.CreateToken(ctx, commandLine, m.Config.Name, tracking.Role(m.Config.Role))
	if err != nil {
		return errors.New(tracking.ErrorMessage(err))
	}
	fmt.Fprintf(m.Stdout, "Token %q created with role %s. Keep it secret; it is shown only once:\n%s\n", t.Name, t.Role, secret)
	return nil
}

func (m *Main) createUser(ctx context.Context) error {
	if err := checkNameRole(m.Config); err != nil {
		return err
	}
	password, err := m.readPassword()
	if err != nil {
		return err
	}
	u, err := m.Service.CreateUser(ctx, commandLine, m.Config.Name, tracking.Role(m.Config.Role), password)
	if err != nil {
		return errors.New(tracking.ErrorMessage(err))
	}
	fmt.Fprintf(m.Stdout, "User %q created with role %s.\n", u.Name, u.Role)
	return nil
}

// readPassword reads a password, the first line of standard input, so it
// never appears in the command line or the shell's history.
func (m *Main) readPassword() (string, error) {
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("give the password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// setUser changes a user from the command line: whoever can run it holds
// the database, so it is also how a site whose only administrator is
// locked out gets back in.
func (m *Main) setUser(ctx context.Context) error {
	c := m.Config
	var ch tracking.UserChange
	if c.Role != "" {
		ch.Role = new(tracking.Role(c.Role))
	}
	switch {
	case c.Enable && c.Disable:
		return errors.New("give --enable or --disable, not both")
	case c.Enable || c.Disable:
		ch.Disabled = new(c.Disable)
	}
	if c.Password {
		password, err := m.readPassword()
		if err != nil {
			return err
		}
		ch.Password = &password
	}
	u, err := m.Service.ChangeUser(ctx, commandLine, c.Name, ch)
	if err != nil {
		return errors.New(tracking.ErrorMessage(err))
	}
	state := "active"
	if u.Disabled {
		state = "disabled"
	}
	fmt.Fprintf(m.Stdout, "User %q: role %s, %s.\n", u.Name, u.Role, state)
	return nil
}

func checkNameRole(c Config) error {
	if err := tracking.ValidateName(c.Name); err != nil {
		return fmt.Errorf("--name: %s", tracking.ErrorMessage(err))
	}
	if !tracking.ValidRole(tracking.Role(c.Role)) {
		return fmt.Errorf("--role must be one of admin, records, library, clerk, porter, device (got %q)", c.Role)
	}
	return nil
}

// readLayouts reads a JSON list of label sheet layouts, so a site can add
// its own stationery without a new release.
func readLayouts(path string) ([]labels.Layout, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("label layouts: %w", err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("label layouts %s: want a JSON list of layouts: %w", path, err)
	}
	out := make([]labels.Layout, 0, len(raws))
	for i, raw := range raws {
		l, err := labels.ParseLayout(raw)
		if err != nil {
			return nil, fmt.Errorf("label layouts %s, entry %d: %s", path, i+1, tracking.ErrorMessage(err))
		}
		out = append(out, l)
	}
	return out, nil
}

// splitList reads a comma-separated setting.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
