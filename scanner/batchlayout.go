package scanner

import (
	"encoding/csv"
	"strings"
	"time"
)

// column is what a column of a batch file holds.
type column int

const (
	colIgnore   column = iota // serial numbers, quantities, anything else
	colBarcode                // the scanned text
	colDate                   // a date alone: 31/01/2025, 2025-01-31
	colClock                  // a time of day alone: 14:05:09
	colDateTime               // both in one field, ISO 8601 or day-first
	colDevice                 // the scanner that made the scan
)

// layout is how the lines of one file are laid out.
type layout struct {
	sep    rune // 0: the whole line is the barcode
	cols   []column
	header bool // the first record names the columns
}

// splitFields splits one line into fields, honouring quotes.
func splitFields(line string, sep rune) []string {
	if sep == 0 {
		return []string{line}
	}
	r := csv.NewReader(strings.NewReader(line))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
	fields, err := r.Read()
	if err != nil {
		return strings.Split(line, string(sep))
	}
	return fields
}

// detectSeparator picks the separator that splits the sample lines into
// the same number (more than one) of fields most often; 0 when none does,
// i.e. one barcode per line.
func detectSeparator(sample []string) rune {
	best, bestScore := rune(0), 0
	for _, sep := range []rune{',', ';', '\t', '|'} {
		counts := map[int]int{}
		for _, line := range sample {
			if n := len(splitFields(line, sep)); n > 1 {
				counts[n]++
			}
		}
		for _, c := range counts {
			if c > bestScore && c*2 > len(sample) {
				best, bestScore = sep, c
			}
		}
	}
	return best
}

// headerNames maps the column titles exports use to what they hold.
var headerNames = map[string]column{
	"barcode": colBarcode, "code": colBarcode, "data": colBarcode, "value": colBarcode,
	"scan": colBarcode, "item": colBarcode, "label": colBarcode, "content": colBarcode,
	"barcode data": colBarcode, "symbol": colBarcode,
	"date": colDate, "scan date": colDate, "day": colDate,
	"time": colClock, "scan time": colClock,
	"datetime": colDateTime, "date time": colDateTime, "date/time": colDateTime,
	"timestamp": colDateTime, "scanned at": colDateTime, "scanned": colDateTime, "when": colDateTime,
	"device": colDevice, "scanner": colDevice, "terminal": colDevice, "device id": colDevice,
	"scanner id": colDevice, "unit": colDevice, "reader": colDevice,
	"serial": colIgnore, "qty": colIgnore, "quantity": colIgnore, "count": colIgnore, "no": colIgnore,
}

func headerName(field string) (column, bool) {
	name := strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(strings.TrimSpace(field)))
	col, ok := headerNames[name]
	return col, ok
}

// headerColumns returns the columns the record names when it is a header:
// some field is a known title and none is a date or time.
func headerColumns(rec []string) ([]column, bool) {
	cols := make([]column, len(rec))
	known := false
	for i, f := range rec {
		if k := valueKind(f, time.UTC); k == colDate || k == colClock || k == colDateTime {
			return nil, false
		}
		col, ok := headerName(f)
		known = known || ok
		cols[i] = col
	}
	if !known {
		return nil, false
	}
	return withBarcode(cols), true
}

// withBarcode makes the first unnamed column the barcode when no column is
// named as one.
func withBarcode(cols []column) []column {
	for _, c := range cols {
		if c == colBarcode {
			return cols
		}
	}
	for i, c := range cols {
		if c == colIgnore {
			cols[i] = colBarcode
			return cols
		}
	}
	return cols
}

// inferColumns works out a headerless file's columns from its records:
// each column takes the kind most of its values have. The first column
// that is neither a date nor a time is the barcode; the first text column
// after it names the device. Numbers (Opticon's serial) are ignored.
func inferColumns(records [][]string) []column {
	width := modeWidth(records)
	cols := make([]column, width)
	barcode, device := false, false
	for i := range cols {
		switch k := majorityKind(records, i); {
		case k == colDate || k == colClock || k == colDateTime:
			cols[i] = k
		case !barcode:
			cols[i], barcode = colBarcode, true
		case k == colDevice && !device:
			cols[i], device = colDevice, true
		}
	}
	return cols
}

func modeWidth(records [][]string) int {
	counts := map[int]int{}
	best := 1
	for _, r := range records {
		counts[len(r)]++
		if counts[len(r)] > counts[best] || counts[len(r)] == counts[best] && len(r) < best {
			best = len(r)
		}
	}
	return best
}

func majorityKind(records [][]string, i int) column {
	counts := map[column]int{}
	for _, r := range records {
		if i < len(r) && strings.TrimSpace(r[i]) != "" {
			counts[valueKind(r[i], time.UTC)]++
		}
	}
	best, n := colIgnore, 0
	for _, k := range []column{colDateTime, colDate, colClock, colDevice, colIgnore} {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best
}

// valueKind classifies one field: a date, a time, both, a number
// (colIgnore) or other text (colDevice, a candidate device or barcode).
func valueKind(s string, loc *time.Location) column {
	s = strings.TrimSpace(s)
	if _, ok := parseDateTime(s, loc); ok {
		return colDateTime
	}
	if _, ok := parseDate(s, loc); ok {
		return colDate
	}
	if _, ok := parseClock(s); ok {
		return colClock
	}
	if allDigits(s) {
		return colIgnore
	}
	return colDevice
}
