package tracking

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Period is how long a location may keep notes before they are overdue,
// written as settings write durations: "7d", "36h", "90m", or "none" for
// a place where notes are never overdue (the zero Period).
type Period time.Duration

// day is the unit loan periods are usually counted in.
const day = 24 * time.Hour

// ParsePeriod reads a period: a duration (ParseDuration) above zero, or
// "none".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q: a loan period is more than nothing (or none)", s)
	}
	return Period(d), nil
}

// String writes the period as ParsePeriod reads it, in days when it is
// whole days.
func (p Period) String() string {
	d := time.Duration(p)
	switch {
	case d == 0:
		return "none"
	case d%day == 0:
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// Duration is the period as a duration; zero for none.
func (p Period) Duration() time.Duration { return time.Duration(p) }

// MarshalJSON writes the period as a string ("7d").
func (p Period) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

func (p Period) appendJSON(b []byte) []byte { return appendJSONString(b, p.String()) }

// UnmarshalJSON reads a period given as a string.
func (p *Period) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return FieldError("loan_period", "loan_period must be a string such as \"7d\", \"36h\" or \"none\".")
	}
	v, err := ParsePeriod(s)
	if err != nil {
		return FieldError("loan_period", "loan_period %s.", err)
	}
	*p = v
	return nil
}

// LoanPolicy says how long notes may stay at each kind of location before
// they are overdue. Kinds without a period (the library, the off-site
// store) are never overdue; transit and person locations (a trolley, a
// porter) use the transit limit. A location's own LoanPeriod wins.
type LoanPolicy struct {
	Periods      map[LocationKind]time.Duration
	TransitLimit time.Duration
}

// The periods of a site that sets none: a ward keeps notes for a week, a
// clinic for two days after the appointment, a department for three, an
// office (secretaries typing letters) for a fortnight; a folder in transit
// or with a porter should be somewhere within four hours.
var defaultLoanPeriods = map[LocationKind]time.Duration{
	KindWard: 7 * day, KindClinic: 2 * day, KindDepartment: 3 * day, KindOffice: 14 * day,
}

// DefaultTransitLimit is how long a folder may be in transit or with a
// person when the site sets no limit.
const DefaultTransitLimit = 4 * time.Hour

// DefaultLoanPolicy is the policy of a site that sets none.
func DefaultLoanPolicy() LoanPolicy {
	p := LoanPolicy{Periods: map[LocationKind]time.Duration{}, TransitLimit: DefaultTransitLimit}
	for k, d := range defaultLoanPeriods {
		p.Periods[k] = d
	}
	return p
}

// movingKinds are the kinds that use the transit limit.
var movingKinds = []LocationKind{KindTransit, KindPerson}

// WithLoans returns the policy with the periods of a setting such as
// "ward=10d,clinic=2d,office=none" applied over it: each kind named gets
// its period ("none": never overdue); kinds not named keep theirs.
func (p LoanPolicy) WithLoans(spec string) (LoanPolicy, error) {
	out := LoanPolicy{Periods: map[LocationKind]time.Duration{}, TransitLimit: p.TransitLimit}
	for k, d := range p.Periods {
		out.Periods[k] = d
	}
	seen := map[LocationKind]bool{}
	for _, item := range strings.Split(spec, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		kind, d, err := parseLoan(item)
		if err != nil {
			return p, err
		}
		if seen[kind] {
			return p, fmt.Errorf("%s is given twice", kind)
		}
		seen[kind] = true
		if d == 0 {
			delete(out.Periods, kind)
		} else {
			out.Periods[kind] = d
		}
	}
	return out, nil
}

// parseLoan reads one KIND=DUR of a loan setting.
func parseLoan(item string) (LocationKind, time.Duration, error) {
	k, v, ok := strings.Cut(item, "=")
	kind := LocationKind(strings.ToLower(strings.TrimSpace(k)))
	switch {
	case !ok:
		return "", 0, fmt.Errorf("%q: write KIND=DURATION, such as ward=7d", item)
	case !validKind(kind):
		return "", 0, fmt.Errorf("%q: %s is not a location kind", item, kind)
	case slices.Contains(movingKinds, kind):
		return "", 0, fmt.Errorf("%q: %s locations use the transit limit (--transit-limit)", item, kind)
	}
	d, err := ParsePeriod(v)
	return kind, d.Duration(), err
}

// PeriodAt is how long notes may stay at the location, and false when
// they may stay there for ever.
func (p LoanPolicy) PeriodAt(l *Location) (time.Duration, bool) {
	if l.LoanPeriod != nil {
		return l.LoanPeriod.Duration(), *l.LoanPeriod > 0
	}
	if slices.Contains(movingKinds, l.Kind) {
		return p.TransitLimit, p.TransitLimit > 0
	}
	d, ok := p.Periods[l.Kind]
	return d, ok && d > 0
}

// String writes the policy as the --loan setting reads it, kinds in the
// order forms offer them.
func (p LoanPolicy) String() string {
	var parts []string
	for _, k := range LocationKinds {
		if d, ok := p.Periods[k]; ok {
			parts = append(parts, string(k)+"="+Period(d).String())
		}
	}
	return strings.Join(parts, ",")
}
