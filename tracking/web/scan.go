package web

import (
	"bytes"
	"encoding/json"

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
	Device string          `json:"device"`
	Scans  []tracking.Scan `json:"scans"`
}

func (s *Server) submitBatch(c *fiber.Ctx) error {
	var in batchInput
	if err := decodeJSON(c, batchLimit, &in); err != nil {
		return err
	}
	if len(in.Scans) > maxBatch {
		return httpError(codeTooLarge, "A batch may hold at most 10,000 scans: send the rest in another batch.")
	}
	for i := range in.Scans {
		if in.Scans[i].Device == "" {
			in.Scans[i].Device = in.Device
		}
		in.Scans[i].Channel = tracking.ChannelBatch
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	recs, errs, err := s.Service.RecordScans(ctx, actor(c), in.Scans)
	if err != nil {
		return err
	}
	return sendResults(c, nil, recs, errs)
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
	scans, err := s.Store.FindScans(ctx, tracking.ScanFilter{Result: tracking.Result(c.Query("result")),
		Device: c.Query("device"), Limit: c.QueryInt("limit", 100)})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"scans": nonNil(scans)})
}

func (s *Server) showDevice(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	dc, err := s.Store.FindDeviceContext(ctx, c.Params("device"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"device": dc.Device, "location": dc.Location, "set_at": tracking.TimestampOf(dc.SetAt),
		"set_by": dc.SetBy, "scan_id": dc.ScanID})
}
