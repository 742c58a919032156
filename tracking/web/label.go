package web

import (
	"bytes"
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
		return s.writeOneLabel(c, volumeLabel(set.Volumes[0], set.SameName), out)
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
		return s.writeOneLabel(c, locationLabel(l, sym), out)
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

func volumeLabel(v *tracking.Volume, sameName map[int64]bool) labels.Label {
	l := labels.Label{Kind: labels.KindVolume, Barcode: v.Barcode, VolumeNumber: v.Number, VolumeCount: v.Count,
		Temporary: v.Status == tracking.StatusTemporary, SameNameAlert: sameName[v.PatientID]}
	if p := v.Patient; p != nil {
		l.FamilyName, l.GivenName, l.NHSNumber, l.HospitalNumber = p.FamilyName, p.GivenName, p.NHSNumber, p.HospitalNumber
		if p.BirthDate != nil {
			l.BirthDate = p.BirthDate.Time
		}
	}
	return l
}

func locationLabel(loc *tracking.Location, sym labels.Symbology) labels.Label {
	return labels.Label{Kind: labels.KindLocation, Barcode: loc.Barcode, LocationName: loc.Name,
		LocationKind: string(loc.Kind), LocationCode: loc.Code, Symbology: sym}
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

func (s *Server) listPrinters(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"printers": nonNil(s.Printers)})
}

func (s *Server) listLayouts(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"layouts": append(labels.Layouts(), s.Layouts...)})
}
