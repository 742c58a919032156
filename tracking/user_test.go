package tracking

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Every change an administrator makes to users and tokens is written to
// the access audit log, with no patient; a change that fails is not.
func TestAdminChangesAreAudited(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	ctx := context.Background()
	ann := Actor{Name: "ann", Role: RoleAdmin}
	steps := []struct {
		name string
		do   func() error
		want string // the entry written, "" for none
	}{
		{"CreateUser", func() error { _, err := s.CreateUser(ctx, ann, "jo", RolePorter, "long-enough"); return err }, "create_user jo"},
		{"CreateUserTaken", func() error { _, err := s.CreateUser(ctx, ann, "jo", RolePorter, "long-enough"); return err }, ""},
		{"ChangeRole", func() error { _, err := s.ChangeUser(ctx, ann, "jo", UserChange{Role: new(RoleClerk)}); return err }, "change_user jo: role clerk"},
		{"DisableAndPassword", func() error {
			_, err := s.ChangeUser(ctx, ann, "jo", UserChange{Disabled: new(true), Password: new("another-one")})
			return err
		}, "change_user jo: disable, password"},
		{"ChangeNobody", func() error { _, err := s.ChangeUser(ctx, ann, "kim", UserChange{Disabled: new(false)}); return err }, ""},
		{"CreateToken", func() error { _, _, err := s.CreateToken(ctx, ann, "dock", RoleDevice); return err }, "create_token dock"},
		{"RevokeToken", func() error { return s.RevokeToken(ctx, ann, "dock") }, "revoke_token dock"},
	}
	for _, st := range steps {
		before := len(m.access)
		err := st.do()
		var got string
		if len(m.access) > before {
			e := m.access[len(m.access)-1]
			got = e.Action + " " + e.Detail
			if e.Actor != "ann" || e.Role != RoleAdmin || e.PatientID != 0 || !e.At.Equal(at(0)) {
				t.Errorf("%s: entry %+v", st.name, e)
			}
		}
		if got != st.want || (st.want == "") != (err != nil) {
			t.Errorf("%s: err %v, entry %q; want %q", st.name, err, got, st.want)
		}
	}
	if strings.Contains(fmt.Sprint(m.access), "another-one") {
		t.Errorf("a password reached the audit log")
	}
}

// An administrator may set their own password, not their own role or
// disabling; every problem is named at once.
func TestPrepareUserChange(t *testing.T) {
	t.Parallel()
	ann := Actor{Name: "ann", Role: RoleAdmin}
	tests := []struct {
		name, user   string
		ch           UserChange
		fields       []string
		endsSessions bool
	}{
		{"OwnPasswordSignsOutEverywhere", "ann", UserChange{Password: new("long-enough")}, nil, true},
		{"OthersRoleKeepsSessions", "jo", UserChange{Role: new(RoleRecords)}, nil, false},
		{"DisableSignsOut", "jo", UserChange{Disabled: new(true)}, nil, true},
		{"EnableSelf", "ann", UserChange{Disabled: new(false)}, nil, false},
		{"ErrNothing", "jo", UserChange{}, []string{""}, false},
		{"ErrOwnRole", "ann", UserChange{Role: new(RolePorter)}, []string{"role"}, false},
		{"ErrDisableSelf", "ann", UserChange{Disabled: new(true)}, []string{""}, false},
		{"ErrShortPasswordAndRole", "jo", UserChange{Role: new(Role("x")), Password: new("short")}, []string{"role", "password"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			upd, err := PrepareUserChange(ann, tt.user, tt.ch)
			if got := faultyFields(err); fmt.Sprint(got) != fmt.Sprint(tt.fields) {
				t.Fatalf("PrepareUserChange = %v, fields at fault %q, want %q", err, got, tt.fields)
			}
			if err != nil {
				return
			}
			if (tt.ch.Password != nil) != (upd.PasswordHash != nil && CheckPassword(*upd.PasswordHash, *tt.ch.Password)) {
				t.Errorf("password hash %v for a change of %v", upd.PasswordHash, tt.ch.Password)
			}
			if upd.EndSessions != tt.endsSessions {
				t.Errorf("ends sessions %v, want %v", upd.EndSessions, tt.endsSessions)
			}
		})
	}
}

func TestDescribeChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ch   UserChange
		want string
	}{
		{UserChange{Role: new(RoleClerk)}, "role clerk"},
		{UserChange{Disabled: new(false)}, "enable"},
		{UserChange{Role: new(RoleAdmin), Disabled: new(true), Password: new("secret-pw")}, "role admin, disable, password"},
	}
	for _, tt := range tests {
		if got := describeChange(tt.ch); got != tt.want {
			t.Errorf("describeChange(%+v) = %q, want %q", tt.ch, got, tt.want)
		}
	}
}

// A password is judged by its length alone, in characters: twelve or more
// of anything always pass, and no kind of character is demanded.
func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"TwelveLowerCase", "aaaaaaaaaaaa", true},
		{"TwelveDigits", "123456789012", true},
		{"TwelveSpaces", "            ", true},
		{"TwelveAccented", strings.Repeat("é", 12), true},
		{"Passphrase", "correct horse battery staple", true},
		{"EightIsEnough", "abcdefgh", true},
		{"ErrSeven", "abcdefg", false},
		{"ErrSevenAccentedIsSevenCharacters", strings.Repeat("é", 7), false},
		{"ErrEmpty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidatePassword(tt.password); (err == nil) != tt.ok {
				t.Errorf("ValidatePassword(%q) = %v, want ok %v", tt.password, err, tt.ok)
			}
		})
	}
}
