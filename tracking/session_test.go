package tracking

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// testHash is one password hash for every test user: PBKDF2 is slow on
// purpose.
var testHash = sync.OnceValue(func() string {
	h, err := HashPassword("right-password")
	if err != nil {
		panic(err)
	}
	return h
})

func addUser(t *testing.T, m *memStore, name string, role Role) *User {
	t.Helper()
	u := &User{Name: name, Role: role, PasswordHash: testHash()}
	if err := m.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// Sign-in failures are counted per user name and address together, and
// per address, whichever instance is asked; at a limit the password is
// not even checked, so guessing at one account from one place never
// locks its owner out from another.
func TestSignInThrottle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		failures []SignInAttempt // counted already, a minute ago
		creds    Credentials
		want     string
	}{
		{"OK", nil, Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ""},
		{"NameIsTrimmed", nil, Credentials{Name: " jo ", Password: "right-password", Addr: "10.0.0.1"}, ""},
		{"ErrWrongPassword", nil, Credentials{Name: "jo", Password: "wrong-password", Addr: "10.0.0.1"}, EUNAUTHORIZED},
		{"ErrNoSuchUser", nil, Credentials{Name: "kim", Password: "right-password", Addr: "10.0.0.1"}, EUNAUTHORIZED},
		{"UnderTheLimit", failures("jo", "10.0.0.1", 4), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ""},
		{"ErrAtTheLimit", failures("jo", "10.0.0.1", 5), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ETOOMANY},
		{"ErrAtTheLimitWhateverTheCase", failures("jo", "10.0.0.1", 5), Credentials{Name: "JO", Password: "x", Addr: "10.0.0.1"}, ETOOMANY},
		{"OwnerElsewhereNotLockedOut", failures("jo", "10.0.0.1", 5), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.2"}, ""},
		{"OtherNameFromThereNotLockedOut", failures("kim", "10.0.0.1", 5), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ""},
		{"UnderTheAddressLimit", manyNames("10.0.0.1", 49), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ""},
		{"ErrAddressAtLimit", manyNames("10.0.0.1", 50), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ETOOMANY},
		{"OtherAddressNotThrottled", manyNames("10.0.0.1", 50), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.2"}, ""},
		{"OldFailuresDoNotCount", failuresAt("jo", "10.0.0.1", 5, at(-16)), Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, m := newTestService()
			addUser(t, m, "jo", RoleClerk)
			m.failures = append(m.failures, tt.failures...)
			sess, secret, err := s.SignIn(context.Background(), tt.creds)
			if ErrorCode(err) != tt.want {
				t.Fatalf("SignIn = %v, want code %q", err, tt.want)
			}
			if tt.want != "" {
				if sess != nil || secret != "" || len(m.sessions) != 0 {
					t.Errorf("a refused sign-in started a session")
				}
				return
			}
			if sess.User != "jo" || sess.Role != RoleClerk || sess.Hash != HashToken(secret) || m.sessions[sess.Hash] == nil {
				t.Errorf("session %+v for secret %q", sess, secret)
			}
		})
	}
}

func failures(name, addr string, n int) []SignInAttempt { return failuresAt(name, addr, n, at(-1)) }

func failuresAt(name, addr string, n int, when time.Time) []SignInAttempt {
	out := make([]SignInAttempt, n)
	for i := range out {
		out[i] = SignInAttempt{NameKey: name, Addr: addr, At: when}
	}
	return out
}

// manyNames is n failures from the address, each of another name.
func manyNames(addr string, n int) []SignInAttempt {
	out := make([]SignInAttempt, n)
	for i := range out {
		out[i] = SignInAttempt{NameKey: fmt.Sprintf("guess%d", i), Addr: addr, At: at(-1)}
	}
	return out
}

// A failure is counted before the password is checked; a refused attempt
// is not counted again; a good sign-in forgets the name's failures from
// its address, not the address's others.
func TestSignInCountsAndForgivesFailures(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	addUser(t, m, "jo", RoleClerk)
	ctx := context.Background()
	for range 3 {
		if _, _, err := s.SignIn(ctx, Credentials{Name: "Jo", Password: "guess", Addr: "10.0.0.9"}); ErrorCode(err) != EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
	}
	m.failures = append(m.failures, failures("kim", "10.0.0.9", 5)...)
	if _, _, err := s.SignIn(ctx, Credentials{Name: "kim", Password: "guess", Addr: "10.0.0.9"}); ErrorCode(err) != ETOOMANY {
		t.Fatalf("kim at the limit: %v, want ETOOMANY", err)
	}
	if n := len(m.failures); n != 8 {
		t.Fatalf("%d failures counted, want 8 (3 of jo, 5 of kim; the refused one not counted)", n)
	}
	if _, _, err := s.SignIn(ctx, Credentials{Name: "jo", Password: "right-password", Addr: "10.0.0.9"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range m.failures {
		if f.NameKey != "kim" {
			t.Errorf("after jo signed in, a failure of %q is still counted", f.NameKey)
		}
	}
}

// Setting a user's password, or unlocking them, forgets their failures
// from every address, not other users'; both are recorded as the
// administrator's changes.
func TestPasswordOrUnlockClearsFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ann := Actor{Name: "ann", Role: RoleAdmin, Kind: ActorUser}
	for _, how := range []string{"password", "unlock"} {
		t.Run(how, func(t *testing.T) {
			s, m := newTestService()
			addUser(t, m, "jo", RoleClerk)
			m.failures = append(append(failures("jo", "10.0.0.1", 5), failures("jo", "10.0.0.2", 5)...), failures("kim", "10.0.0.1", 2)...)
			if locks, _ := s.SignInLocks(ctx); locks["jo"] != 2 || len(locks) != 1 {
				t.Fatalf("locks %v, want jo from 2 addresses", locks)
			}
			var err error
			if how == "password" {
				_, err = s.ChangeUser(ctx, ann, "jo", UserChange{Password: new("a-new-long-password")})
			} else {
				err = s.UnlockUser(ctx, ann, "jo")
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(m.failures) != 2 || m.failures[0].NameKey != "kim" {
				t.Errorf("failures left %+v, want kim's two", m.failures)
			}
			if locks, _ := s.SignInLocks(ctx); len(locks) != 0 {
				t.Errorf("locks after: %v", locks)
			}
		})
	}
	s, _ := newTestService()
	if err := s.UnlockUser(ctx, ann, "nobody"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unlock nobody: %v, want ENOTFOUND", err)
	}
}

func TestCheckSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		secret    string
		created   time.Time
		lastSeen  time.Time
		live      bool
		lastAfter time.Time // the session's last use as stored after the check
	}{
		{"LiveNotTouchedWithinAMinute", "s", at(-10), at(0).Add(-30 * time.Second), true, at(0).Add(-30 * time.Second)},
		{"LiveTouched", "s", at(-10), at(-5), true, at(0)},
		{"IdleTooLongEnds", "s", at(-40), at(-31), false, time.Time{}},
		{"TooOldEndsHoweverBusy", "s", at(-12*60 - 1), at(-1), false, time.Time{}},
		{"UnknownSecret", "other", at(-10), at(-5), false, at(-5)},
		{"NoSecret", "", at(-10), at(-5), false, at(-5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, m := newTestService()
			m.sessions[HashToken("s")] = &Session{Hash: HashToken("s"), User: "jo", Role: RoleClerk, CreatedAt: tt.created, LastSeen: tt.lastSeen}
			sess, err := s.CheckSession(context.Background(), tt.secret)
			if err != nil {
				t.Fatal(err)
			}
			if (sess != nil) != tt.live {
				t.Fatalf("session %+v, want live %v", sess, tt.live)
			}
			stored := m.sessions[HashToken("s")]
			switch {
			case tt.lastAfter.IsZero() && stored != nil:
				t.Errorf("an expired session was kept")
			case !tt.lastAfter.IsZero() && (stored == nil || !stored.LastSeen.Equal(tt.lastAfter)):
				t.Errorf("stored session %+v, want last seen %v", stored, tt.lastAfter)
			}
		})
	}
}

// A site's own session lengths replace the defaults.
func TestSessionLengthsAreTheSites(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	s.SessionIdle, s.SessionMaxAge = 5*time.Minute, time.Hour
	m.sessions[HashToken("s")] = &Session{Hash: HashToken("s"), CreatedAt: at(-10), LastSeen: at(-6)}
	if sess, err := s.CheckSession(context.Background(), "s"); sess != nil || err != nil {
		t.Errorf("idle 6 minutes of 5: %+v, %v; want ended", sess, err)
	}
}

// Signing in always makes a new secret, and signing out ends the session
// for every copy of the cookie.
func TestStartAndEndSession(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	u := addUser(t, m, "jo", RolePorter)
	ctx := context.Background()
	m.sessions["stale"] = &Session{Hash: "stale", LastSeen: at(-31)}
	first, secret1, err := s.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	_, secret2, err := s.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if secret1 == secret2 || first.CSRF == "" || first.CSRF == secret1 || m.sessions["stale"] != nil {
		t.Errorf("secrets %q, %q, CSRF %q; stale session kept %v", secret1, secret2, first.CSRF, m.sessions["stale"] != nil)
	}
	if err := s.EndSession(ctx, secret1); err != nil {
		t.Fatal(err)
	}
	if sess, _ := s.CheckSession(ctx, secret1); sess != nil || len(m.sessions) != 1 {
		t.Errorf("after signing out: %+v, %d sessions left", sess, len(m.sessions))
	}
}

// With a one-minute idle limit, someone who does something every 50
// seconds stays signed in: their use is recorded often enough that only
// a minute of doing nothing ends the session.
func TestShortIdleLimitKeepsBusyUserSignedIn(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	s.SessionIdle = time.Minute
	now := at(0)
	s.Now = func() time.Time { return now }
	m.sessions[HashToken("s")] = &Session{Hash: HashToken("s"), User: "jo", Role: RolePorter, CreatedAt: now, LastSeen: now}
	for step := range 6 {
		now = now.Add(50 * time.Second)
		sess, err := s.CheckSession(context.Background(), "s")
		if err != nil || sess == nil {
			t.Fatalf("after %d requests 50 s apart: %+v, %v; want still signed in", step+1, sess, err)
		}
	}
	now = now.Add(61 * time.Second)
	if sess, _ := s.CheckSession(context.Background(), "s"); sess != nil {
		t.Errorf("idle 61 s of 60: still signed in")
	}
}
