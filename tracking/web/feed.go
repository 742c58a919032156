package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerFeedPages adds /feed, where records managers account for every
// message the PAS sent: stored messages hold patient data, so only records
// and admin see them, and every view is written to the access log.
func (s *Server) registerFeedPages(r fiber.Router) {
	report := s.requirePage(tracking.PermReport)
	r.Get("/feed", report, s.showFeed)
	r.Get("/feed/:id", report, s.showFeedMessage)
}

// feedOutcomes are the filters the page offers, by status.
var feedOutcomes = []struct{ Status, Label string }{
	{"", "All"}, {"AE", "Refused (AE)"}, {"AR", "Rejected (AR)"}, {"AA", "Applied (AA)"},
}

// feedPage is the list of the latest messages.
type feedPage struct {
	Messages []feedItem
	Status   string
	Outcomes []struct{ Status, Label string }
	// Older pages back from the last message shown, when there may be more.
	Older string
}

// feedItem is a message as the pages show it.
type feedItem struct {
	*tracking.FeedMessage
	Received tracking.Timestamp
	// Text and ACKText are the message and its answer a segment a line.
	Text, ACKText string
}

func feedItemOf(m *tracking.FeedMessage) feedItem {
	return feedItem{FeedMessage: m, Received: tracking.TimestampOf(m.ReceivedAt), Text: segmentLines(m.Raw), ACKText: segmentLines(m.ACK)}
}

// segmentLines puts each segment of an HL7 message on a line of its own.
func segmentLines(s string) string {
	return strings.TrimRight(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s), "\n")
}

// feedPageSize is how many messages the list shows at a time.
const feedPageSize = 100

func (s *Server) showFeed(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	fp := feedPage{Status: strings.ToUpper(c.Query("status")), Outcomes: feedOutcomes}
	if fp.Status != "" && fp.Status != "AA" && fp.Status != "AE" && fp.Status != "AR" {
		return tracking.FieldError("status", "Status must be AA, AE or AR.")
	}
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)
	ms, err := s.Service.FindFeedMessages(ctx, actor(c), tracking.FeedFilter{Status: fp.Status, Before: before, Limit: feedPageSize})
	if err != nil {
		return err
	}
	for _, m := range ms {
		fp.Messages = append(fp.Messages, feedItemOf(m))
	}
	if len(ms) == feedPageSize {
		q := url.Values{"before": {strconv.FormatInt(ms[len(ms)-1].ID, 10)}}
		if fp.Status != "" {
			q.Set("status", fp.Status)
		}
		fp.Older = "/feed?" + q.Encode()
	}
	return s.render(c, fiber.StatusOK, "feed", s.newPage(c, "PAS feed", fp))
}

func (s *Server) showFeedMessage(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return tracking.Errorf(tracking.ENOTFOUND, "There is no feed message %q.", c.Params("id"))
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	m, err := s.Service.FindFeedMessage(ctx, actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "feed_message", s.newPage(c, "Feed message "+c.Params("id"), feedItemOf(m)))
}
