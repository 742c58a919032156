package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Printer is a configured Zebra label printer.
type Printer struct {
	Name   string        `json:"name"`
	Addr   string        `json:"addr"`
	DPI    int           `json:"dpi"`
	Roll   labels.Size   `json:"roll"`
	Offset labels.Offset `json:"offset"`
}

// ParsePrinters reads printer settings of the form
// "name=host[:port][,dpi=203|300][,roll=2x1|4x2|4x6][,offset=X:Y]" (offset
// in millimetres, from a test print). A bare host is sent to on the
// printer's raw port, which labels.Send knows.
func ParsePrinters(specs []string) ([]Printer, error) {
	var out []Printer
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		p, err := parsePrinter(spec)
		if err != nil {
			return nil, fmt.Errorf("printer %q: %w", spec, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrinter(spec string) (Printer, error) {
	parts := strings.Split(spec, ",")
	name, addr, ok := strings.Cut(parts[0], "=")
	if !ok || name == "" || addr == "" {
		return Printer{}, fmt.Errorf("start with name=host:port")
	}
	p := Printer{Name: name, Addr: addr, DPI: labels.DPI203}
	for _, kv := range parts[1:] {
		if err := p.set(kv); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p *Printer) set(kv string) error {
	k, v, _ := strings.Cut(kv, "=")
	switch k {
	case "dpi":
		dpi, err := strconv.Atoi(v)
		if err != nil || (dpi != labels.DPI203 && dpi != labels.DPI300) {
			return fmt.Errorf("dpi must be 203 or 300")
		}
		p.DPI = dpi
	case "roll":
		size, ok := rollSizes[v]
		if !ok {
			return fmt.Errorf("roll must be 2x1, 4x2 or 4x6")
		}
		p.Roll = size
	case "offset":
		xs, ys, _ := strings.Cut(v, ":")
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("offset must be X:Y in millimetres")
		}
		p.Offset = labels.Offset{X: x, Y: y}
	default:
		return fmt.Errorf("unknown setting %q", k)
	}
	return nil
}

// rollSizes are the Zebra roll sizes a printer or request may name.
var rollSizes = map[string]labels.Size{"2x1": labels.Roll2x1, "4x2": labels.Roll4x2, "4x6": labels.Roll4x6}

func (s *Server) listPrinters(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"printers": nonNil(s.Printers)})
}

// codePrinter is the error code of a printer that could not be reached.
const codePrinter = "printer_unavailable"

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
