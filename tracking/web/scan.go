package web

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// maxBatch is the most scans one batch request may carry.
const maxBatch = 10_000

func (s *Server) registerScanRoutes(r fiber.Router) {
	r.Post("/scans", require(tracking.PermScan), s.submitScan)
	r.Post("/scans/batch", require(tracking.PermScan), s.submitBatch)
	r.Post("/scans/file", require(tracking.PermScan), s.submitScanFile)
	r.Post("/scans/image", require(tracking.PermScan), s.submitScanImage)
	r.Get("/scans", require(tracking.PermReport), s.listScans)
	r.Post("/scans/:scan_id/check", require(tracking.PermReport), s.checkScan)
	r.Get("/devices/:device", require(tracking.PermScan), s.showDevice)
}

func (s *Server) submitScan(c *fiber.Ctx) error {
	var sc tracking.Scan
	if err := decodeJSON(c, jsonLimit, &sc); err != nil {
		return err
	}
	sc.Channel = scanChannel(c, tracking.ChannelAPI)
	ctx, cancel := s.ctx(c)
	defer cancel()
	rec, err := s.Service.RecordScan(ctx, actor(c), sc)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(rec.Response)
}

// scanChannel lets the pages say which of them a scan came from.
func scanChannel(c *fiber.Ctx, def string) string {
	switch ch := c.Get("X-Casetrack-Channel"); ch {
	case tracking.ChannelStation, tracking.ChannelCamera:
		return ch
	}
	return def
}

type batchInput struct {
	Device string            `json:"device"`
	Sweep  tracking.SweepID  `json:"sweep"`
	Scans  []json.RawMessage `json:"scans"`
}

// wellFormedBatch is a batch every slot of which reads as a scan: the
// common case, decoded in one pass.
type wellFormedBatch struct {
	Device string           `json:"device"`
	Sweep  tracking.SweepID `json:"sweep"`
	Scans  []tracking.Scan  `json:"scans"`
}

func (s *Server) submitBatch(c *fiber.Ctx) error {
	device, sweep, scans, err := decodeBatch(c)
	if err != nil {
		return err
	}
	if len(scans) > maxBatch {
		return httpError(codeTooLarge, "A batch may hold at most 10,000 scans: send the rest in another batch.")
	}
	for i := range scans {
		if scans[i].Device == "" {
			scans[i].Device = device
		}
		if scans[i].Sweep == 0 {
			scans[i].Sweep = sweep
		}
		scans[i].Channel = tracking.ChannelBatch
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	recs, errs, err := s.Service.RecordScans(ctx, actor(c), scans)
	if err != nil {
		return err
	}
	return sendResults(c, nil, recs, errs)
}

// decodeBatch reads a batch in one pass when every slot is well formed,
// and slot by slot otherwise, so that a bad slot fails alone.
// A batch's own sweep applies to the scans that name none.
func decodeBatch(c *fiber.Ctx) (string, tracking.SweepID, []tracking.Scan, error) {
	body, err := requestBody(c, batchLimit)
	if err != nil {
		return "", 0, nil, err
	}
	var ok wellFormedBatch
	if json.Unmarshal(body, &ok) == nil {
		return ok.Device, ok.Sweep, ok.Scans, nil
	}
	var in batchInput
	if err := decodeJSON(c, batchLimit, &in); err != nil {
		return "", 0, nil, err
	}
	scans := make([]tracking.Scan, len(in.Scans))
	for i, raw := range in.Scans {
		scans[i] = decodeSlot(raw)
	}
	return in.Device, in.Sweep, scans, nil
}

// decodeSlot reads one scan of a batch on its own, so a slot of the wrong
// shape fails alone: it keeps what can be read of it (its scan id and
// barcode) and carries the reason, to be kept and answered as an error.
func decodeSlot(raw json.RawMessage) tracking.Scan {
	var sc tracking.Scan
	err := json.Unmarshal(raw, &sc)
	if err == nil {
		return sc
	}
	var loose struct {
		ScanID  any `json:"scan_id"`
		Barcode any `json:"barcode"`
	}
	_ = json.Unmarshal(raw, &loose)
	sc = tracking.Scan{ScanID: stringOr(loose.ScanID), Barcode: stringOr(loose.Barcode)}
	var te *tracking.Error
	if errors.As(err, &te) {
		sc.Invalid = te
	} else {
		sc.Invalid = tracking.FieldError("scans", "This scan is not a JSON object of the right shape: %s", jsonProblem(err))
	}
	return sc
}

func stringOr(v any) string {
	s, _ := v.(string)
	return s
}

// sendResults writes {"results":[...]} (with any extra fields first) from
// the stored answers, so each slot is byte for byte what a single scan or a
// repeat would answer.
func sendResults(c *fiber.Ctx, extra map[string]any, recs []*tracking.ScanRecord, errs []error) error {
	var b bytes.Buffer
	b.WriteByte('{')
	for k, v := range extra {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
		b.WriteByte(',')
	}
	b.WriteString(`"results":[`)
	for i, rec := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeResult(&b, rec, errs[i])
	}
	b.WriteString("]}")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b.Bytes())
}

type slotError struct {
	ScanID string `json:"scan_id"`
	Result string `json:"result"`
	Error  struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

func writeResult(b *bytes.Buffer, rec *tracking.ScanRecord, err error) {
	if err == nil {
		b.Write(rec.Response)
		return
	}
	e := asError(err)
	var se slotError
	se.ScanID, se.Result = rec.Scan.ScanID, string(tracking.ResultError)
	se.Error.Code, se.Error.Message, se.Error.Field = e.Code, e.Message, e.Field
	out, _ := json.Marshal(se)
	b.Write(out)
}

func (s *Server) listScans(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	scans, err := s.Service.FindScans(ctx, tracking.ScanFilter{Result: tracking.Result(c.Query("result")),
		Device: c.Query("device"), Limit: c.QueryInt("limit", 100), Unchecked: c.QueryBool("unchecked")})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"scans": nonNil(scans)})
}

func (s *Server) showDevice(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	dc, err := s.Service.FindDeviceContext(ctx, actor(c), param(c, "device"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"device": dc.Device, "location": dc.Location, "set_at": tracking.TimestampOf(dc.SetAt),
		"set_by": dc.SetBy, "scan_id": dc.ScanID})
}

// scanPage is what the scan station and the camera page need: the modes
// and where a receiving station may say it is.
type scanPage struct {
	Channel   string
	Locations []*tracking.Location
}

// showScanStation is the page a keyboard-wedge scanner types into. All the
// work happens in its script, against the JSON API, so scans queue in the
// browser when the network drops.
func (s *Server) showScanStation(c *fiber.Ctx) error {
	return s.showScanPage(c, "scan", "Scan station", tracking.ChannelStation)
}

// showCamera is the scan station fed by the device's camera.
func (s *Server) showCamera(c *fiber.Ctx) error {
	return s.showScanPage(c, "camera", "Camera scanning", tracking.ChannelCamera)
}

func (s *Server) showScanPage(c *fiber.Ctx, name, title, channel string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ls, err := s.Service.FindLocations(ctx, tracking.LocationFilter{Limit: 500})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, name, s.newPage(c, title, scanPage{Channel: channel, Locations: ls}))
}
