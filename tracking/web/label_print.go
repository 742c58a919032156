package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// codePrinter is the error code of a printer that could not be reached.
const codePrinter = "printer_unavailable"

// printLabels renders the chosen labels as one PDF of label sheets or one
// ZPL stream, and logs them as printed.
func (s *Server) printLabels(c *fiber.Ctx) error {
	var req labelRequest
	if err := decodeJSON(c, jsonLimit, &req); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	set, ls, err := s.chosenLabels(ctx, c, req)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	switch strings.ToLower(req.Format) {
	case "", "pdf":
		req.Format = "pdf"
		err = s.writeSheets(&b, ls, req)
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, `inline; filename="labels.pdf"`)
	case "zpl":
		err = s.writeRoll(&b, ls, req, Printer{DPI: req.DPI})
		c.Set(fiber.HeaderContentType, "application/vnd.zebra.zpl; charset=utf-8")
	default:
		return tracking.FieldError("format", "Format must be pdf or zpl.")
	}
	if err != nil {
		return err
	}
	reprints, err := s.Service.LogPrints(ctx, actor(c), set, "", strings.ToLower(req.Format))
	if err != nil {
		return err
	}
	c.Set("X-Casetrack-Reprints", itoa(reprints))
	return c.Send(b.Bytes())
}

func (s *Server) writeSheets(b *bytes.Buffer, ls []labels.Label, req labelRequest) error {
	layout, err := s.layout(req.Layout)
	if err != nil {
		return err
	}
	if req.Start < 0 || req.Start > layout.Columns*layout.Rows {
		return tracking.FieldError("start", "Start must be a label position on the sheet, 1 to %d.", layout.Columns*layout.Rows)
	}
	return labels.WriteSheet(b, ls, labels.SheetOptions{Layout: layout, Skip: max(req.Start-1, 0),
		Offset: req.Offset, Outlines: req.Outlines})
}

func (s *Server) writeRoll(b *bytes.Buffer, ls []labels.Label, req labelRequest, p Printer) error {
	opt := labels.ZPLOptions{Size: p.Roll, DPI: p.DPI, Offset: p.Offset}
	if req.Size != "" {
		roll, ok := rollSizes[req.Size]
		if !ok {
			return tracking.FieldError("size", "Label size must be 2x1, 4x2 or 4x6.")
		}
		opt.Size = roll
	}
	return labels.WriteZPL(b, ls, opt)
}

// layout finds a named layout, built in or configured, or reads one given
// inline as a JSON object.
func (s *Server) layout(raw json.RawMessage) (labels.Layout, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return labels.L7160, nil
	}
	var name string
	if json.Unmarshal(raw, &name) != nil {
		return labels.ParseLayout(raw)
	}
	for _, l := range append(labels.Layouts(), s.Layouts...) {
		if strings.EqualFold(l.Name, name) {
			return l, nil
		}
	}
	return labels.Layout{}, tracking.FieldError("layout", "No sheet layout is called %q.", name)
}

// chosenLabels resolves a request's selection into the labels to print.
func (s *Server) chosenLabels(ctx context.Context, c *fiber.Ctx, req labelRequest) (*tracking.LabelSet, []labels.Label, error) {
	set, err := s.Service.SelectLabels(ctx, actor(c), req.LabelSelection)
	if err != nil {
		return nil, nil, err
	}
	ls, err := labelsOf(set, req.Symbology)
	return set, ls, err
}

func labelsOf(set *tracking.LabelSet, symbology string) ([]labels.Label, error) {
	sym, err := parseSymbology(symbology)
	if err != nil {
		return nil, err
	}
	ls := make([]labels.Label, 0, set.Len())
	for _, l := range set.Labels() {
		ls = append(ls, labelOf(l, sym))
	}
	return ls, nil
}

// sendToPrinter renders the labels as ZPL for a configured Zebra printer
// and sends them over its raw port; only labels that reached the printer
// are logged as printed.
func (s *Server) sendToPrinter(c *fiber.Ctx) error {
	var req labelRequest
	if err := decodeJSON(c, jsonLimit, &req); err != nil {
		return err
	}
	p, ok := s.printer(req.Printer)
	if !ok {
		return tracking.FieldError("printer", "No printer is called %q.", req.Printer)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	set, ls, err := s.chosenLabels(ctx, c, req)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := s.writeRoll(&b, ls, req, p); err != nil {
		return err
	}
	if err := labels.Send(ctx, p.Addr, b.Bytes(), 0); err != nil {
		return printerError(p, err)
	}
	reprints, err := s.Service.LogPrints(ctx, actor(c), set, p.Name, "zpl")
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"printer": p.Name, "labels": len(ls), "reprints": reprints})
}

func (s *Server) printer(name string) (Printer, bool) {
	for _, p := range s.Printers {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Printer{}, false
}

func printerError(p Printer, err error) error {
	var pe *labels.PrinterError
	if errors.As(err, &pe) {
		return httpError(codePrinter, "Printer "+p.Name+": "+pe.Message+". Check it is switched on and online.")
	}
	return err
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
