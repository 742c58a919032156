package web

import (
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerOverduePages adds /overdue, the records manager's chase list.
func (s *Server) registerOverduePages(r fiber.Router) {
	r.Get("/overdue", s.requirePage(tracking.PermManage), s.showOverdue)
}

// overduePage is the chase list: found lately (the person's own first),
// missing (escalated first), temporary folders (past due first), and
// overdue notes grouped by where they are, longest overdue first.
type overduePage struct {
	Found     []*tracking.FoundVolume
	Missing   []*tracking.MissingVolume
	Escalated int
	Temporary []*tracking.TemporaryVolume
	PastDue   int
	Groups    []overdueGroup
	Overdue   int
	Me        string
	Escalate  time.Duration
}

// overdueGroup is the overdue notes at one location.
type overdueGroup struct {
	Location *tracking.Location
	Period   tracking.Period
	Items    []*tracking.Overdue
}

func (s *Server) showOverdue(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	op := overduePage{Me: a.Name, Escalate: s.Service.MissingEscalation}
	var err error
	if op.Found, err = s.Service.Found(ctx, a, false); err != nil {
		return err
	}
	if op.Missing, err = s.Service.Missing(ctx, a); err != nil {
		return err
	}
	if op.Temporary, err = s.Service.Temporaries(ctx, a); err != nil {
		return err
	}
	list, err := s.Service.Overdue(ctx, a)
	if err != nil {
		return err
	}
	op.Groups, op.Overdue = groupOverdue(list), len(list)
	for _, m := range op.Missing {
		if m.Escalate {
			op.Escalated++
		}
	}
	for _, t := range op.Temporary {
		if t.PastDue {
			op.PastDue++
		}
	}
	return s.render(c, fiber.StatusOK, "overdue", s.newPage(c, "Overdue and missing notes", op))
}

// groupOverdue groups the list by location, in the order of each
// location's longest overdue folder.
func groupOverdue(list []*tracking.Overdue) []overdueGroup {
	var out []overdueGroup
	at := map[int64]int{}
	for _, o := range list {
		i, ok := at[o.Location.ID]
		if !ok {
			i = len(out)
			at[o.Location.ID] = i
			out = append(out, overdueGroup{Location: o.Location, Period: o.LoanPeriod})
		}
		out[i].Items = append(out[i].Items, o)
	}
	return out
}

// formatAge says how long a number of seconds is as a person would: days
// and hours, hours and minutes, or minutes.
func formatAge(seconds int64) string {
	d := time.Duration(seconds) * time.Second
	days, hours, mins := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0:
		return plural(days, "day") + and(hours, "hour")
	case hours > 0:
		return plural(hours, "hour") + and(mins, "minute")
	case mins > 0:
		return plural(mins, "minute")
	}
	return plural(int(seconds), "second")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func and(n int, unit string) string {
	if n == 0 {
		return ""
	}
	return " " + plural(n, unit)
}

// ageOf is formatAge for what templates hold: whole seconds, or seconds
// as a duration's Seconds gives them.
func ageOf(v any) string {
	switch n := v.(type) {
	case int64:
		return formatAge(n)
	case float64:
		return formatAge(int64(n))
	}
	return fmt.Sprint(v)
}
