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

func (s *Server) registerLabelRoutes(r fiber.Router) {
	manage := require(tracking.PermManage)
	r.Get("/volumes/:barcode/label.png", manage, s.showVolumeLabel(labels.PNG))
	r.Get("/volumes/:barcode/label.zpl", manage, s.showVolumeLabel(labels.ZPL))
	r.Get("/locations/:code/label.png", manage, s.showLocationLabel(labels.PNG))
	r.Get("/locations/:code/label.zpl", manage, s.showLocationLabel(labels.ZPL))
	r.Post("/labels", manage, s.printLabels)
	r.Post("/print", manage, s.sendToPrinter)
	r.Get("/printers", manage, s.listPrinters)
	r.Get("/label-layouts", manage, s.listLayouts)
}

// labelRequest is the body of POST /labels and POST /print.
type labelRequest struct {
	tracking.LabelSelection
	Format string `json:"format"`
	// Layout names a sheet layout (L7160, L7163, L7651 or a configured
	// one) or is a layout object of its own.
	Layout json.RawMessage `json:"layout"`
	// Start is the position (from 1) of the first free label on a part-used sheet.
	Start    int           `json:"start"`
	Offset   labels.Offset `json:"offset"`
	Outlines bool          `json:"outlines"`
	DPI      int           `json:"dpi"`
	Size     string        `json:"size"`
	// Symbology of location barcodes: code128 (default), qr or datamatrix.
	Symbology string `json:"symbology"`
	Printer   string `json:"printer"`
}

func (s *Server) showVolumeLabel(out labels.Output) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := s.ctx(c)
		defer cancel()
		set, err := s.Service.SelectLabels(ctx, actor(c), tracking.LabelSelection{Volumes: []string{param(c, "barcode")}})
		if err != nil {
			return notFoundFor(err)
		}
		return s.writeOneLabel(c, labelOf(set.Labels()[0], labels.Code128), out)
	}
}

func (s *Server) showLocationLabel(out labels.Output) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := s.ctx(c)
		defer cancel()
		l, err := s.Service.FindLocation(ctx, param(c, "code"))
		if err != nil {
			return err
		}
		sym, err := parseSymbology(c.Query("symbology"))
		if err != nil {
			return err
		}
		return s.writeOneLabel(c, labelOf(tracking.LocationLabel(l), sym), out)
	}
}

// notFoundFor turns "the selection names no such volume" back into a 404
// for the single-label routes, where the barcode is the path.
func notFoundFor(err error) error {
	var e *tracking.Error
	if errors.As(err, &e) && e.Code == tracking.EINVALID && e.Field == "volumes" {
		return tracking.Errorf(tracking.ENOTFOUND, "%s", e.Message)
	}
	return err
}

func (s *Server) writeOneLabel(c *fiber.Ctx, l labels.Label, out labels.Output) error {
	f, err := labels.ParseFormat(out, c.Query("dpi"), c.Query("size"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := labels.Write(&b, l, f); err != nil {
		return err
	}
	if out == labels.PNG {
		c.Set(fiber.HeaderContentType, "image/png")
	} else {
		c.Set(fiber.HeaderContentType, "application/vnd.zebra.zpl; charset=utf-8")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b.Bytes())
}

// labelOf is a label as package labels draws it; sym is the symbology of a
// location's barcode (a volume's is always Code 128).
func labelOf(l tracking.Label, sym labels.Symbology) labels.Label {
	out := labels.Label{Kind: labels.KindVolume, Barcode: l.Barcode, FamilyName: l.FamilyName, GivenName: l.GivenName,
		NHSNumber: l.NHSNumber, HospitalNumber: l.HospitalNumber, VolumeNumber: l.VolumeNumber, VolumeCount: l.VolumeCount,
		Temporary: l.Temporary, SameNameAlert: l.SameNameAlert}
	if l.BirthDate != nil {
		out.BirthDate = l.BirthDate.Time
	}
	if l.ForLocation {
		out.Kind, out.LocationName, out.LocationKind, out.LocationCode = labels.KindLocation, l.LocationName, l.LocationKind, l.LocationCode
		out.Symbology = sym
	}
	return out
}

func parseSymbology(s string) (labels.Symbology, error) {
	switch strings.ToLower(s) {
	case "", "code128":
		return labels.Code128, nil
	case "qr":
		return labels.QR, nil
	case "datamatrix":
		return labels.DataMatrix, nil
	}
	return 0, tracking.FieldError("symbology", "Symbology must be code128, qr or datamatrix.")
}

func (s *Server) listLayouts(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"layouts": append(labels.Layouts(), s.Layouts...)})
}

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

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
