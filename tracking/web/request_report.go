package web

import (
	"strconv"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// The request report (records, admin): how well notes reach the places
// that ask for them in time. It counts requests and shows no patient.

func (s *Server) registerReportRoutes(r fiber.Router) {
	r.Get("/reports/requests", require(tracking.PermReport), s.showRequestReport)
}

func (s *Server) registerReportPages(r fiber.Router) {
	r.Get("/reports", s.requirePage(tracking.PermReport), s.showReportsPage)
}

// reportRange reads from and to (YYYY-MM-DD); without them, the last 28
// days to today.
func reportRange(c *fiber.Ctx) (from, to tracking.Date, err error) {
	if to, err = queryDate(c, "to"); err != nil {
		return
	}
	if to.IsZero() {
		to = tracking.DateOf(time.Now().In(pageZone()))
	}
	if from, err = queryDate(c, "from"); err != nil {
		return
	}
	if from.IsZero() {
		from = tracking.Date{Time: to.AddDate(0, 0, -27)}
	}
	return
}

func (s *Server) showRequestReport(c *fiber.Ctx) error {
	from, to, err := reportRange(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.RequestReport(ctx, from, to)
	if err != nil {
		return err
	}
	if c.Query("format") != "csv" {
		return c.JSON(r)
	}
	rows := make([][]string, 0, len(r.Rows)+1)
	for _, st := range append(r.Rows, r.Total) {
		place := "all places"
		if st.Location != nil {
			place = st.Location.Code
		}
		rows = append(rows, []string{place, strconv.Itoa(st.Requested), strconv.Itoa(st.Fulfilled), strconv.Itoa(st.OnTime),
			strconv.Itoa(st.Late), strconv.Itoa(st.Cancelled), strconv.Itoa(st.Overdue), blankIfNone(int64(st.OnTimePercent)),
			blankIfNone(st.MedianMinutes)})
	}
	return sendCSV(c, "requests-"+from.String()+"-to-"+to.String()+".csv",
		[]string{"place", "requested", "fulfilled", "on_time", "late", "cancelled", "overdue", "on_time_percent", "median_minutes"}, rows)
}

// blankIfNone writes a figure, or nothing for -1 (none to count).
func blankIfNone(n int64) string {
	if n < 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// reportsPage is the request report as the page shows it.
type reportsPage struct {
	From, To string
	Report   *tracking.RequestReport
	Problem  string
}

func (s *Server) showReportsPage(c *fiber.Ctx) error {
	rp := reportsPage{}
	from, to, err := reportRange(c)
	if err == nil {
		ctx, cancel := s.ctx(c)
		defer cancel()
		rp.Report, err = s.Service.RequestReport(ctx, from, to)
	}
	rp.From, rp.To = from.String(), to.String()
	status := fiber.StatusOK
	if err != nil {
		if code := tracking.ErrorCode(err); code != tracking.EINVALID {
			return err
		}
		rp.Problem, status = tracking.ErrorMessage(err), fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "reports", s.newPage(c, "Reports", rp))
}
