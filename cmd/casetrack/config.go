package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Config is everything casetrack is told at start-up: flags first, then
// CASETRACK_* environment variables, then defaults.
type Config struct {
	Command  string // "serve", "token create", "user create", "user set", "import"
	Addr     string
	DB       string
	Demo     bool
	LogLevel string
	// SecureCookies marks session cookies Secure; set it behind TLS.
	SecureCookies bool
	// TrustedProxies are load balancer addresses or CIDRs whose
	// X-Forwarded-For header is believed.
	TrustedProxies string

	// For token create and user create (and user set, where Role may be
	// empty).
	Name string
	Role string
	// For user set: enable or disable the user, read a new password from
	// standard input.
	Enable, Disable, Password bool

	// Printers are "name=host:port[,dpi=300][,roll=4x2]" entries.
	Printers []string
	// LabelLayouts is a JSON file of extra label sheet layouts.
	LabelLayouts string

	// The raw TCP line listener for scanner docks; off when TCPAddr is "".
	TCPAddr   string
	TCPDevice string
	TCPAllow  string
	// TCPIdle closes a connection that sends nothing for this long, and
	// TCPPerAddress is how many connections one address may hold, so
	// idle or hoarded connections cannot lock real docks out.
	TCPIdle       time.Duration
	TCPPerAddress int

	// Page sessions end after SessionIdle unused, or SessionMaxAge in all.
	SessionIdle   time.Duration
	SessionMaxAge time.Duration

	// RequestLead is how long before an appointment its notes are needed;
	// WantedHorizon how far ahead a request's need shows as "wanted" when
	// its folder is scanned elsewhere.
	RequestLead   time.Duration
	WantedHorizon time.Duration
	// Loan is the --loan setting (KIND=DUR,...) over the default loan
	// periods, and Loans the policy it gives with TransitLimit;
	// MissingEscalation is when a missing volume's search is escalated.
	Loan              string
	TransitLimit      time.Duration
	Loans             tracking.LoanPolicy
	MissingEscalation time.Duration
	// TwoPersonDestruction makes recording a volume destroyed take two
	// people (SAFETY.md H09).
	TwoPersonDestruction bool
	// The PAS feed (HL7 over MLLP); off when HL7Addr is "".
	HL7Addr, HL7Allow, HL7HospitalAuthority string

	// For import: what, from which file, and whether to write nothing.
	ImportKind, ImportFile string
	DryRun                 bool
}

const usage = `usage:
  casetrack serve [--addr :8080] [--db DSN] [--demo]
  casetrack token create --name NAME --role ROLE [--db DSN]
  casetrack user create --name NAME --role ROLE [--db DSN]   (password on stdin)
  casetrack user set --name NAME [--role ROLE] [--enable|--disable] [--password] [--db DSN]
                                              (with --password, the new password on stdin)
  casetrack import locations|patients|volumes FILE.csv [--dry-run] [--db DSN]

Every flag can also be set as CASETRACK_<FLAG> (e.g. CASETRACK_DB).`

// ParseConfig reads the command line, with getenv for the fallbacks.
func ParseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	cmd, rest, err := splitCommand(args)
	if err != nil {
		return c, err
	}
	c.Command = cmd
	fs := flag.NewFlagSet("casetrack "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("CASETRACK_" + name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DB, "db", env("DB", "casetrack.db"), "database: a file path or sqlite: DSN (SQLite), or a postgres:// URL")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error")
	var envErr error
	switch cmd {
	case "serve":
		addServeFlags(fs, &c, env)
		envErr = errors.Join(addSessionFlags(fs, &c, env), addTCPFlags(fs, &c, env), addRequestFlags(fs, &c, env),
			addLoanFlags(fs, &c, env))
	case "import":
		return c, parseImportArgs(fs, rest, &c)
	default:
		fs.StringVar(&c.Name, "name", "", "name of the token or user")
		fs.StringVar(&c.Role, "role", "", "role: admin, records, library, clerk, porter or device")
		if cmd == "user set" {
			fs.BoolVar(&c.Enable, "enable", false, "let a disabled user sign in again")
			fs.BoolVar(&c.Disable, "disable", false, "stop the user signing in and end their sessions")
			fs.BoolVar(&c.Password, "password", false, "set a new password, read from standard input")
		}
	}
	if err := fs.Parse(rest); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, usageError(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if envErr != nil {
		return c, envErr
	}
	if cmd == "serve" {
		return c, errors.Join(checkSessions(c), checkTCP(c), checkRequests(c), c.checkLoans(), checkHL7(c))
	}
	return c, nil
}

// addLoanFlags adds when notes away from the library are overdue, and when
// a missing volume's search is escalated, with errors as addSessionFlags
// has them.
func addLoanFlags(fs *flag.FlagSet, c *Config, env func(string, string) string) error {
	fs.StringVar(&c.Loan, "loan", env("LOAN", ""), "loan periods by location kind over the defaults ("+
		tracking.DefaultLoanPolicy().String()+"), e.g. ward=10d,office=none")
	fs.BoolVar(&c.TwoPersonDestruction, "two-person-destruction", env("TWO_PERSON_DESTRUCTION", "") == "true",
		"recording a volume destroyed takes two people: one proposes, another approves")
	return errors.Join(
		durationFlag(fs, env, &c.TransitLimit, "transit-limit", tracking.DefaultTransitLimit, "how long notes may be in transit or with a person before they are overdue (e.g. 4h)"),
		durationFlag(fs, env, &c.MissingEscalation, "missing-escalate", tracking.DefaultMissingEscalation, "escalate a missing volume's search to the records manager after this long (e.g. 7d)"))
}

// checkLoans reads the loan setting into the policy and keeps the limits
// above nothing.
func (c *Config) checkLoans() error {
	var err error
	if c.Loans, err = tracking.DefaultLoanPolicy().WithLoans(c.Loan); err != nil {
		return fmt.Errorf("--loan: %v", err)
	}
	c.Loans.TransitLimit = c.TransitLimit
	switch {
	case c.TransitLimit <= 0:
		return fmt.Errorf("--transit-limit %v: give a duration such as 4h", c.TransitLimit)
	case c.MissingEscalation <= 0:
		return fmt.Errorf("--missing-escalate %v: give a duration such as 7d", c.MissingEscalation)
	}
	return nil
}

// addSessionFlags adds the page session lengths. A bad environment value
// is an error, even when a flag overrides it: a typo in a deployment's
// settings should be found, not silently replaced by a default.
func addSessionFlags(fs *flag.FlagSet, c *Config, env func(string, string) string) error {
	return errors.Join(
		durationFlag(fs, env, &c.SessionIdle, "session-idle", tracking.DefaultSessionIdle, "end a page session unused for this long (e.g. 30m)"),
		durationFlag(fs, env, &c.SessionMaxAge, "session-max", tracking.DefaultSessionMaxAge, "end a page session this long after sign-in, however busy (e.g. 12h)"))
}

// addTCPFlags adds the TCP listener's limits, with errors as
// addSessionFlags has them.
func addTCPFlags(fs *flag.FlagSet, c *Config, env func(string, string) string) error {
	return errors.Join(
		durationFlag(fs, env, &c.TCPIdle, "tcp-idle", defaultTCPIdle, "close a TCP scanner connection that sends nothing for this long (e.g. 10m)"),
		intFlag(fs, env, &c.TCPPerAddress, "tcp-per-address", defaultTCPPerAddress, "how many TCP scanner connections one address may hold at once"))
}

// addRequestFlags adds the request settings, with errors as
// addSessionFlags has them.
func addRequestFlags(fs *flag.FlagSet, c *Config, env func(string, string) string) error {
	return errors.Join(
		durationFlag(fs, env, &c.RequestLead, "request-lead", tracking.DefaultRequestLead, "how long before an appointment its notes must be at the clinic (e.g. 1h)"),
		durationFlag(fs, env, &c.WantedHorizon, "wanted-horizon", tracking.DefaultWantedHorizon, "how far ahead a request makes a scanned folder \"wanted\" elsewhere (e.g. 48h, 2d)"))
}

// checkRequests keeps the request settings sensible: a lead of at most a
// week, and a horizon of an hour to a month.
func checkRequests(c Config) error {
	switch {
	case c.RequestLead < 0 || c.RequestLead > 7*24*time.Hour:
		return fmt.Errorf("--request-lead %v: give 0 to 7d", c.RequestLead)
	case c.WantedHorizon < time.Hour || c.WantedHorizon > 31*24*time.Hour:
		return fmt.Errorf("--wanted-horizon %v: give 1h to 31d", c.WantedHorizon)
	}
	return nil
}

// durationFlag adds a duration flag whose default is CASETRACK_<NAME>
// when that is set, and def otherwise.
func durationFlag(fs *flag.FlagSet, env func(string, string) string, p *time.Duration, name string, def time.Duration, usage string) error {
	*p = def
	var err error
	if v := env(envName(name), ""); v != "" {
		if *p, err = tracking.ParseDuration(v); err != nil {
			*p, err = def, fmt.Errorf("CASETRACK_%s: %v", envName(name), err)
		}
	}
	fs.Var((*durationValue)(p), name, usage)
	return err
}

// durationValue is a duration flag that also takes whole days ("7d"), as
// every duration casetrack is given may be written.
type durationValue time.Duration

func (d *durationValue) String() string { return time.Duration(*d).String() }

func (d *durationValue) Set(s string) error {
	v, err := tracking.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

// intFlag is durationFlag for a whole number.
func intFlag(fs *flag.FlagSet, env func(string, string) string, p *int, name string, def int, usage string) error {
	*p = def
	var err error
	if v := env(envName(name), ""); v != "" {
		if *p, err = strconv.Atoi(v); err != nil {
			*p, err = def, fmt.Errorf("CASETRACK_%s=%q is not a whole number", envName(name), v)
		}
	}
	fs.IntVar(p, name, *p, usage)
	return err
}

// envName is a flag's environment variable without CASETRACK_: tcp-idle
// is TCP_IDLE.
func envName(flag string) string { return strings.ToUpper(strings.ReplaceAll(flag, "-", "_")) }

// checkSessions keeps session lengths sensible: an idle time of at least a
// minute, and a maximum no shorter than that and no longer than a week.
func checkSessions(c Config) error {
	switch {
	case c.SessionIdle < time.Minute:
		return fmt.Errorf("--session-idle %v: give at least 1m", c.SessionIdle)
	case c.SessionMaxAge < c.SessionIdle:
		return fmt.Errorf("--session-max %v is shorter than --session-idle %v", c.SessionMaxAge, c.SessionIdle)
	case c.SessionMaxAge > 7*24*time.Hour:
		return fmt.Errorf("--session-max %v: give at most 168h (a week)", c.SessionMaxAge)
	}
	return nil
}

// checkTCP keeps the TCP listener's limits sensible: an idle time in
// minutes (a dock that sat idle reconnects when it next scans), and at
// least one connection an address, at most the listener's all.
func checkTCP(c Config) error {
	switch {
	case c.TCPIdle < time.Minute || c.TCPIdle > 24*time.Hour:
		return fmt.Errorf("--tcp-idle %v: give 1m to 24h", c.TCPIdle)
	case c.TCPPerAddress < 1 || c.TCPPerAddress > tcpMaxConns:
		return fmt.Errorf("--tcp-per-address %d: give 1 to %d", c.TCPPerAddress, tcpMaxConns)
	}
	return nil
}

func addServeFlags(fs *flag.FlagSet, c *Config, env func(string, string) string) {
	fs.StringVar(&c.Addr, "addr", env("ADDR", ":8080"), "address to listen on")
	fs.BoolVar(&c.Demo, "demo", env("DEMO", "") == "true", "load a demo trust into an empty database")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("SECURE_COOKIES", "") == "true", "mark session cookies Secure (behind TLS)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated load balancer addresses or CIDRs whose X-Forwarded-For is believed")
	fs.Func("printer", "a label printer: name=host:port[,dpi=203|300][,roll=2x1|4x2] (repeatable; env CASETRACK_PRINTERS, ';'-separated)", func(s string) error {
		c.Printers = append(c.Printers, s)
		return nil
	})
	if v := env("PRINTERS", ""); v != "" {
		c.Printers = strings.Split(v, ";")
	}
	fs.StringVar(&c.LabelLayouts, "label-layouts", env("LABEL_LAYOUTS", ""), "JSON file with a list of extra label sheet layouts")
	fs.StringVar(&c.TCPAddr, "tcp-listen", env("TCP_LISTEN", ""), "address for raw TCP scanner input, one barcode per line (off when empty)")
	fs.StringVar(&c.TCPDevice, "tcp-device", env("TCP_DEVICE", "tcp-dock"), "device name the TCP scanner input is booked as")
	fs.StringVar(&c.TCPAllow, "tcp-allow", env("TCP_ALLOW", "127.0.0.1"), "comma-separated source addresses or CIDRs allowed to send TCP scans")
	addHL7Flags(fs, c, env)
}

func splitCommand(args []string) (string, []string, error) {
	switch {
	case len(args) >= 1 && args[0] == "serve":
		return "serve", args[1:], nil
	case len(args) >= 2 && args[0] == "token" && args[1] == "create":
		return "token create", args[2:], nil
	case len(args) >= 2 && args[0] == "user" && args[1] == "create":
		return "user create", args[2:], nil
	case len(args) >= 2 && args[0] == "user" && args[1] == "set":
		return "user set", args[2:], nil
	case len(args) >= 1 && args[0] == "import":
		return "import", args[1:], nil
	case len(args) == 0:
		return "", nil, usageError("no command given")
	}
	return "", nil, usageError(fmt.Sprintf("unknown command %q", strings.Join(args, " ")))
}

// usageError is a command-line mistake; it shows the usage after itself.
type usageError string

func (e usageError) Error() string { return string(e) + "\n" + usage }
