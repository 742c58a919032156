package tracking

import (
	"context"
	"strings"
	"testing"
)

// User and token names are letters, digits, '.', '-' and '_' of ASCII,
// starting with a letter or digit: nothing that looks like another
// character, nothing invisible, nothing that turns text around.
func TestValidateName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"OK", "nurse.jo", true},
		{"OKDigitsDashUnderscore", "ward7-handheld_2", true},
		{"OKUpperCase", "JoSmith", true},
		{"OKLongest", strings.Repeat("a", 64), true},
		{"ErrEmpty", "", false},
		{"ErrTooLong", strings.Repeat("a", 65), false},
		{"ErrSpace", "nurse jo", false},
		{"ErrTab", "nurse\tjo", false},
		{"ErrColon", "tcp:dock", false},
		{"ErrSlash", "ward/7", false},
		{"ErrAt", "jo@trust", false},
		{"ErrLeadingDot", ".jo", false},
		{"ErrLeadingDash", "-jo", false},
		{"ErrLeadingUnderscore", "_jo", false},
		{"ErrCyrillicA", "\u0430dmin", false},       // а: looks like a
		{"ErrGreekOmicron", "r\u03bfot", false},     // ο: looks like o
		{"ErrFullwidth", "\uff41dmin", false},       // ａ
		{"ErrZeroWidthSpace", "ad\u200bmin", false}, // invisible
		{"ErrZeroWidthJoiner", "ad\u200dmin", false},
		{"ErrRightToLeftOverride", "jo\u202egnp.exe", false},
		{"ErrRightToLeftMark", "jo\u200f", false},
		{"ErrAccented", "zo\u00eb", false},
		{"ErrCombiningMark", "zoe\u0308", false},
		{"ErrInvalidUTF8", "jo\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateName(%q) = %v, want ok %v", tt.in, err, tt.ok)
			}
			if err != nil && (ErrorCode(err) != EINVALID || err.(*Error).Field != "name") {
				t.Errorf("ValidateName(%q) = %#v, want EINVALID on name", tt.in, err)
			}
		})
	}
}

// Users and tokens share one namespace, compared ignoring case: a token
// cannot be made with a user's name, nor a user with a token's.
func TestNamesAreOneNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ann := Actor{Name: "ann", Role: RoleAdmin, Kind: ActorUser}
	s, _ := newTestService()
	if _, err := s.CreateUser(ctx, ann, "Jo", RoleClerk, "long-enough-password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateToken(ctx, ann, "ward7", RoleDevice); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		err  error
	}{
		{"TokenNamedLikeUser", func() error { _, _, err := s.CreateToken(ctx, ann, "jo", RoleDevice); return err }()},
		{"UserNamedLikeToken", func() error { _, err := s.CreateUser(ctx, ann, "WARD7", RoleClerk, "long-enough-password"); return err }()},
		{"UserNamedLikeUser", func() error { _, err := s.CreateUser(ctx, ann, "JO", RoleClerk, "long-enough-password"); return err }()},
	}
	for _, st := range steps {
		if ErrorCode(st.err) != ECONFLICT {
			t.Errorf("%s: %v, want ECONFLICT", st.name, st.err)
		}
	}
}

// Who acted is recorded with what kind of actor they are: a person
// signed in, a token, or casetrack itself (the command line, the TCP
// listener).
func TestAccessEntriesSayWhatKindOfActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, m := newTestService()
	actors := []struct {
		actor Actor
		want  ActorKind
	}{
		{Actor{Name: "ann", Role: RoleAdmin, Kind: ActorUser}, ActorUser},
		{Actor{Name: "ops", Role: RoleAdmin, Kind: ActorToken}, ActorToken},
		{Actor{Name: "command line", Role: RoleAdmin, Kind: ActorSystem}, ActorSystem},
		{Actor{Name: "unnamed", Role: RoleAdmin}, ActorSystem},
	}
	if k := (&Session{User: "jo", Role: RoleClerk}).Actor().Kind; k != ActorUser {
		t.Errorf("a session's actor is a %q, want a user", k)
	}
	for i, a := range actors {
		if _, _, err := s.CreateToken(ctx, a.actor, "t"+string(rune('0'+i)), RoleDevice); err != nil {
			t.Fatal(err)
		}
		if got := m.access[len(m.access)-1].ActorKind; got != a.want {
			t.Errorf("%s: entry's actor kind %q, want %q", a.actor.Name, got, a.want)
		}
	}
}
