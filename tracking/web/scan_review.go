package web

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// reviewLimit is how many scans the review page lists: enough for a
// day's problems on a busy site, few enough to read.
const reviewLimit = 200

// resultNames name and explain the results kept for review (see
// tracking.ReviewResults) as the page shows them.
var resultNames = map[tracking.Result][2]string{
	tracking.ResultUnknown:   {"Unknown barcode", "matched no volume or location"},
	tracking.ResultRejected:  {"Rejected", "not a valid barcode, e.g. a failed check character"},
	tracking.ResultError:     {"Refused", "could not be taken, e.g. no location"},
	tracking.ResultAmbiguous: {"Ambiguous", "an NHS number for a patient with several volumes"},
}

// reviewChoices are the results kept for review, in the service's order,
// named and explained.
func reviewChoices() []reviewResult {
	out := make([]reviewResult, len(tracking.ReviewResults))
	for i, r := range tracking.ReviewResults {
		out[i] = reviewResult{Result: r, Label: resultNames[r][0], Means: resultNames[r][1]}
	}
	return out
}

// reviewResult is one result as the page names and explains it.
type reviewResult struct {
	Result       tracking.Result
	Label, Means string
}

// reviewPage is the filter and the scans it found.
type reviewPage struct {
	Result  tracking.Result
	Device  string
	Results []reviewResult
	Scans   []reviewScan
	Limit   int
	Problem string
}

// reviewScan is a scan with its result's label.
type reviewScan struct {
	*tracking.StoredScan
	Label string
}

// showReview lists the scans kept for review, newest first, filtered by
// result and device.
func (s *Server) showReview(c *fiber.Ctx) error {
	rp := reviewPage{Result: tracking.Result(c.Query("result")), Device: strings.TrimSpace(c.Query("device")),
		Results: reviewChoices(), Limit: reviewLimit}
	ctx, cancel := s.ctx(c)
	defer cancel()
	scans, err := s.Service.ReviewScans(ctx, rp.Result, rp.Device, reviewLimit)
	switch tracking.ErrorCode(err) {
	case "":
	case tracking.EINVALID:
		rp.Problem = "Choose one of the results listed."
	default:
		return err
	}
	for _, sc := range scans {
		rp.Scans = append(rp.Scans, reviewScan{StoredScan: sc, Label: resultLabel(sc.Result)})
	}
	return s.render(c, fiber.StatusOK, "review", s.newPage(c, "Review scans", rp))
}

// resultLabel names a result as the page does.
func resultLabel(r tracking.Result) string {
	if n, ok := resultNames[r]; ok {
		return n[0]
	}
	return string(r)
}
