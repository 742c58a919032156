package scanner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Limits on a batch file: a memory scanner holds a few thousand scans, and
// the API takes 10,000 scans in 16 MiB.
const (
	MaxBatchLines = 10_000
	MaxBatchBytes = 16 << 20
)

// BatchOptions says what the file itself may not: which scanner it came
// from and the zone its clock was set to.
type BatchOptions struct {
	// Device names the scanner for lines with no device column (and goes
	// into their scan ids).
	Device string
	// Location is the zone of times written without an offset; nil means
	// Europe/London.
	Location *time.Location
}

// BatchFile is what a memory scanner's export holds: the scans read, and
// the lines that could not be read with the reason, for the person who
// uploaded it to put right.
type BatchFile struct {
	Lines []BatchLine
	Bad   []BadLine
}

// BatchLine is one scan from a batch file.
type BatchLine struct {
	Number    int    // 1-based line number in the file
	Raw       string // the line as written, without its line end
	Barcode   string // the scanned text, for Parse
	ScannedAt time.Time
	Device    string
	// ScanID is stable: the same line of the same file from the same
	// device always gets the same id, so uploading a file again, or again
	// after the scanner has appended to it, records each scan once.
	ScanID string
}

// BadLine is a line of a batch file that holds no usable scan.
type BadLine struct {
	Number int
	Raw    string
	Reason string
}

// ParseBatchFile reads a batch scanner's export: CSV with ',', ';', Tab or
// '|' (detected), optional header (detected), optional date and time
// columns in the common formats, optional device column, or simply one
// barcode per line; the Opticon layout barcode,serial,hh:mm:ss,dd/mm/yyyy
// among them. Blank lines are skipped; a BOM and CRLF line ends are
// handled. The error is EINVALID for a file that is too large, too long,
// not text, or empty; lines that fail alone are reported in Bad.
func ParseBatchFile(r io.Reader, opt BatchOptions) (BatchFile, error) {
	lines, err := readBatchLines(r)
	if err != nil {
		return BatchFile{}, err
	}
	if opt.Location == nil {
		opt.Location = defaultZone()
	}
	var out BatchFile
	lay, records := detectLayout(lines)
	for i, l := range lines {
		if lay.header && i == 0 {
			continue
		}
		line, reason := lay.scan(l, records[i], opt)
		if reason != "" {
			out.Bad = append(out.Bad, BadLine{Number: l.number, Raw: l.text, Reason: reason})
			continue
		}
		out.Lines = append(out.Lines, line)
	}
	return out, nil
}

// numberedLine is a non-blank line and where it was in the file.
type numberedLine struct {
	number int
	text   string
}

// readBatchLines reads the file into its non-blank lines, checking limits.
func readBatchLines(r io.Reader) ([]numberedLine, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBatchBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading batch file: %w", err)
	}
	if len(data) > MaxBatchBytes {
		return nil, tracking.Errorf(tracking.EINVALID, "The batch file is larger than %d MiB: split it.", MaxBatchBytes>>20)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, tracking.Errorf(tracking.EINVALID, "The batch file is not a text file: export the scans as CSV or text.")
	}
	text := strings.TrimPrefix(latin1Fallback(string(data)), "\ufeff")
	var lines []numberedLine
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(lines) == MaxBatchLines {
			return nil, tracking.Errorf(tracking.EINVALID, "The batch file has more than %d scans: split it.", MaxBatchLines)
		}
		lines = append(lines, numberedLine{i + 1, l})
	}
	if len(lines) == 0 {
		return nil, tracking.Errorf(tracking.EINVALID, "The batch file holds no scans.")
	}
	return lines, nil
}

// detectLayout finds the separator, header and columns from the lines,
// and returns each line split into fields.
func detectLayout(lines []numberedLine) (layout, [][]string) {
	sample := make([]string, 0, 50)
	for _, l := range lines[:min(len(lines), 50)] {
		sample = append(sample, l.text)
	}
	lay := layout{sep: detectSeparator(sample)}
	records := make([][]string, len(lines))
	for i, l := range lines {
		records[i] = splitFields(l.text, lay.sep)
	}
	if cols, ok := headerColumns(records[0]); ok {
		lay.cols, lay.header = cols, true
		return lay, records
	}
	lay.cols = inferColumns(records[:min(len(records), 50)])
	return lay, records
}

// scan reads one record; a non-empty reason says why it holds no scan.
func (lay layout) scan(l numberedLine, rec []string, opt BatchOptions) (BatchLine, string) {
	if len(rec) > len(lay.cols) {
		return BatchLine{}, fmt.Sprintf("too many columns: %d, expected %d", len(rec), len(lay.cols))
	}
	line := BatchLine{Number: l.number, Raw: l.text, Device: opt.Device}
	var date, clock string
	for i, f := range rec {
		f = strings.TrimSpace(f)
		switch lay.cols[i] {
		case colBarcode:
			line.Barcode = f
		case colDevice:
			if f != "" {
				line.Device = f
			}
		case colDate, colDateTime:
			date = f
		case colClock:
			clock = f
		}
	}
	if line.Barcode == "" {
		return BatchLine{}, "empty barcode"
	}
	if len(line.Barcode) > maxRawBytes {
		return BatchLine{}, "barcode too long"
	}
	at, reason := lay.when(date, clock, opt.Location)
	if reason != "" {
		return BatchLine{}, reason
	}
	line.ScannedAt = at
	line.ScanID = batchScanID(line.Device, l)
	return line, ""
}

// when combines the date (or date and time) and time fields of a record.
// A record with no date has no time: ScannedAt stays zero.
func (lay layout) when(date, clock string, loc *time.Location) (time.Time, string) {
	if date == "" {
		return time.Time{}, ""
	}
	if t, ok := parseDateTime(date, loc); ok {
		return t, ""
	}
	d, ok := parseDate(date, loc)
	if !ok {
		return time.Time{}, fmt.Sprintf("unparseable date %q", date)
	}
	if clock == "" {
		return d, ""
	}
	c, ok := parseClock(clock)
	if !ok {
		return time.Time{}, fmt.Sprintf("unparseable time %q", clock)
	}
	return atClock(d, c), ""
}

// batchScanID derives a line's scan id from the device, the line number
// and the line as written. The time is in the line already; leaving the
// parsed time out keeps the id the same if the zone setting changes.
func batchScanID(device string, l numberedLine) string {
	sum := sha256.Sum256([]byte(device + "\x00" + strconv.Itoa(l.number) + "\x00" + l.text))
	return "file:" + hex.EncodeToString(sum[:12])
}
