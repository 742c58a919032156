package web

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// sendCSV answers with a CSV download: a header row, then the rows.
func sendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = csvCell(v)
		}
		_ = w.Write(cells)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b.Bytes())
}

// csvCell keeps a spreadsheet from reading a value as a formula: text a
// scanner sent, or a name, that starts with =, +, -, @ or a control
// character is written after an apostrophe, as spreadsheets themselves
// mark text.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// wantsFormat is the format a report was asked for: json (the default),
// csv or pdf.
func wantsFormat(c *fiber.Ctx, allowed ...string) (string, error) {
	f := strings.ToLower(c.Query("format", "json"))
	if f == "json" {
		return f, nil
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", tracking.FieldError("format", "format must be json or %s.", strings.Join(allowed, " or "))
}
