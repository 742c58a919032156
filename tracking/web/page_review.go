package web

import (
	"slices"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// reviewLimit is how many scans the review page lists: enough for a
// day's problems on a busy site, few enough to read.
const reviewLimit = 200

// reviewResults are the results of scans kept for someone to look at:
// nothing moved, and a person should find out why.
var reviewResults = []reviewResult{
	{tracking.ResultUnknown, "Unknown barcode", "matched no volume or location"},
	{tracking.ResultRejected, "Rejected", "not a valid barcode, e.g. a failed check character"},
	{tracking.ResultError, "Refused", "could not be taken, e.g. no location"},
	{tracking.ResultAmbiguous, "Ambiguous", "an NHS number for a patient with several volumes"},
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
		Results: reviewResults, Limit: reviewLimit}
	results := reviewResultsFor(rp.Result)
	if results == nil {
		rp.Problem = "Choose one of the results listed."
	}
	scans, err := s.findReviewScans(c, results, rp.Device)
	if err != nil {
		return err
	}
	for _, sc := range scans {
		rp.Scans = append(rp.Scans, reviewScan{StoredScan: sc, Label: resultLabel(sc.Result)})
	}
	return s.render(c, fiber.StatusOK, "review", s.newPage(c, "Review scans", rp))
}

// reviewResultsFor is the results to list: the one asked for, or all kept
// for review when none is; nil for a result that is not reviewed.
func reviewResultsFor(r tracking.Result) []tracking.Result {
	var out []tracking.Result
	for _, rr := range reviewResults {
		if r == "" || rr.Result == r {
			out = append(out, rr.Result)
		}
	}
	return out
}

// findReviewScans asks for each result apart (each is read from the
// review index) and merges them newest first.
func (s *Server) findReviewScans(c *fiber.Ctx, results []tracking.Result, device string) ([]*tracking.StoredScan, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	var all []*tracking.StoredScan
	for _, r := range results {
		scans, err := s.Store.FindScans(ctx, tracking.ScanFilter{Result: r, Device: device, Limit: reviewLimit})
		if err != nil {
			return nil, err
		}
		all = append(all, scans...)
	}
	slices.SortStableFunc(all, func(a, b *tracking.StoredScan) int { return b.ReceivedAt.Compare(a.ReceivedAt.Time) })
	return all[:min(len(all), reviewLimit)], nil
}

func resultLabel(r tracking.Result) string {
	i := slices.IndexFunc(reviewResults, func(rr reviewResult) bool { return rr.Result == r })
	if i < 0 {
		return string(r)
	}
	return reviewResults[i].Label
}
