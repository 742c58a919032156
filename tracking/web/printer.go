package web

import (
	"fmt"
	"strconv"
	"strings"
)

// ParsePrinters reads printer settings of the form
// "name=host:port[,dpi=203|300][,roll=2x1|4x2]".
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
	if !strings.Contains(addr, ":") {
		addr += ":9100"
	}
	p := Printer{Name: name, Addr: addr, DPI: 203}
	for _, kv := range parts[1:] {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "dpi":
			dpi, err := strconv.Atoi(v)
			if err != nil || (dpi != 203 && dpi != 300) {
				return p, fmt.Errorf("dpi must be 203 or 300")
			}
			p.DPI = dpi
		default:
			return p, fmt.Errorf("unknown setting %q", k)
		}
	}
	return p, nil
}
