package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// fileReport is the answer to a batch file upload: how many lines became
// scans, which lines could not be read and why, and each scan's answer.
type fileReport struct {
	Lines    int       `json:"lines"`
	Accepted int       `json:"accepted"`
	Repeated int       `json:"repeated"`
	Errors   int       `json:"errors"`
	Bad      []badLine `json:"bad"`
}

type badLine struct {
	Line   int    `json:"line"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// submitScanFile takes a memory scanner's export file, as a multipart
// field "file" or as the raw body. Its lines are taken in order with the
// device's context, like a batch; stable scan ids make a re-upload (even
// of a file the scanner has since appended to) record each scan once.
func (s *Server) submitScanFile(c *fiber.Ctx) error {
	data, err := uploadedText(c)
	if err != nil {
		return err
	}
	device := firstNonEmpty(c.FormValue("device"), c.Query("device"), tracking.UploadDevice(actor(c)))
	zone, err := zoneOf(firstNonEmpty(c.FormValue("timezone"), c.Query("timezone")))
	if err != nil {
		return err
	}
	file, err := scanner.ParseBatchFile(bytes.NewReader(data), scanner.BatchOptions{Device: device, Location: zone})
	if err != nil {
		return err
	}
	location := firstNonEmpty(c.FormValue("location"), c.Query("location"))
	sweep, err := formSweep(c)
	if err != nil {
		return err
	}
	scans := make([]tracking.Scan, len(file.Lines))
	for i, l := range file.Lines {
		scans[i] = tracking.Scan{ScanID: l.ScanID, Barcode: l.Barcode, Device: firstNonEmpty(l.Device, device),
			Location: location, ScannedAt: tracking.TimestampOf(l.ScannedAt), Channel: tracking.ChannelFile, Sweep: sweep}
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	recs, errs, err := s.Service.RecordScans(ctx, actor(c), scans)
	if err != nil {
		return err
	}
	return sendFileReport(c, file, recs, errs)
}

func uploadedText(c *fiber.Ctx) ([]byte, error) {
	body, err := requestBody(c, batchLimit)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return formFile(c, "file")
	}
	if len(body) == 0 {
		return nil, httpError(codeBadRequest, "Send the scanner's file as the body or as the multipart field \"file\".")
	}
	return body, nil
}

func zoneOf(name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, tracking.FieldError("timezone", "Unknown time zone %q (use a name such as Europe/London).", name)
	}
	return loc, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// sendFileReport writes the report with each line's stored answer, the
// line number spliced into it so the uploader can find the line.
func sendFileReport(c *fiber.Ctx, file scanner.BatchFile, recs []*tracking.ScanRecord, errs []error) error {
	rep := fileReport{Lines: len(file.Lines) + len(file.Bad), Bad: []badLine{}}
	for _, b := range file.Bad {
		rep.Bad = append(rep.Bad, badLine{Line: b.Number, Text: b.Raw, Reason: b.Reason})
	}
	for i, rec := range recs {
		switch {
		case errs[i] != nil:
			rep.Errors++
		case rec.Repeat:
			rep.Repeated++
		default:
			rep.Accepted++
		}
	}
	head, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	b.WriteString(`,"results":[`)
	for i, rec := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"line":` + strconv.Itoa(file.Lines[i].Number) + `,`)
		var one bytes.Buffer
		writeResult(&one, rec, errs[i])
		b.Write(one.Bytes()[1:])
	}
	b.WriteString("]}")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b.Bytes())
}
