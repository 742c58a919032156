package web

import (
	"net/url"
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

// pageChannels name the scan pages, for devices named after a tab of one.
var pageChannels = map[string]string{tracking.ChannelStation: "Scan station", tracking.ChannelCamera: "Camera"}

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
	Result tracking.Result
	Device string
	// DeviceName is the filtered device as people know it.
	DeviceName  string
	ShowChecked bool
	Results     []reviewResult
	Scans       []reviewScan
	Limit       int
	Problem     string
	Done        string
	// Back is this list's address, where a check returns to.
	Back string
}

// reviewScan is a scan with its result's label and its device's name.
type reviewScan struct {
	*tracking.StoredScan
	Label string
	deviceName
}

// deviceName is a device as people know it: a tab of a scan page by
// whose it was (with the tab's short id to tell two apart), anything
// else by the name it was given.
type deviceName struct {
	Name, Tab string
}

func nameDevice(device, by string) deviceName {
	if ch, tab, ok := tracking.PageDevice(device); ok {
		return deviceName{Name: pageChannels[ch] + " (" + by + ")", Tab: tab}
	}
	return deviceName{Name: device}
}

// showReview lists the scans kept for review, newest first, filtered by
// result and device; scans someone has checked only when asked.
func (s *Server) showReview(c *fiber.Ctx) error {
	rp := reviewPage{Result: tracking.Result(c.Query("result")), Device: strings.TrimSpace(c.Query("device")),
		ShowChecked: c.Query("checked") == "show", Results: reviewChoices(), Limit: reviewLimit, Back: c.OriginalURL()}
	if c.Query("done") == "checked" {
		rp.Done = "Marked checked: it has left the list."
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	scans, err := s.Service.ReviewScans(ctx, tracking.ScanFilter{Result: rp.Result, Device: rp.Device,
		Limit: reviewLimit, Unchecked: !rp.ShowChecked})
	switch tracking.ErrorCode(err) {
	case "":
	case tracking.EINVALID:
		rp.Problem = "Choose one of the results listed."
	default:
		return err
	}
	for _, sc := range scans {
		rs := reviewScan{StoredScan: sc, Label: resultLabel(sc.Result), deviceName: nameDevice(sc.Device, sc.By)}
		if sc.Device == rp.Device {
			rp.DeviceName = rs.Name
		}
		rp.Scans = append(rp.Scans, rs)
	}
	return s.render(c, fiber.StatusOK, "review", s.newPage(c, "Review scans", rp))
}

// submitCheckForm marks a scan checked from the review page and goes back
// to the list it was on.
func (s *Server) submitCheckForm(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if _, err := s.Service.CheckScan(ctx, actor(c), c.FormValue("scan_id")); err != nil {
		return err
	}
	return c.Redirect(reviewBack(c.FormValue("back")), fiber.StatusSeeOther)
}

// reviewBack is the review list the form came from, saying a scan was
// checked; anything but a review address goes to the plain list.
func reviewBack(back string) string {
	u, err := url.Parse(back)
	if err != nil || u.Path != "/review" || u.Host != "" || u.Scheme != "" {
		u = &url.URL{Path: "/review"}
	}
	q := u.Query()
	q.Set("done", "checked")
	return u.Path + "?" + q.Encode() + "#review-title"
}

// checkScan is POST /api/v1/scans/{scan_id}/check: the scan, checked.
func (s *Server) checkScan(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	sc, err := s.Service.CheckScan(ctx, actor(c), param(c, "scan_id"))
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

// resultLabel names a result as the page does.
func resultLabel(r tracking.Result) string {
	if n, ok := resultNames[r]; ok {
		return n[0]
	}
	return string(r)
}
