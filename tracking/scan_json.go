package tracking

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the answer as encoding/json would write it, byte for
// byte, without reflection: every scan's answer is encoded once to be
// stored, and for a batch of thousands reflection was a sixth of the work.
// TestScanResultJSONMatchesEncodingJSON holds it to encoding/json.
func (r *ScanResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"scan_id":`...)
	b = appendJSONString(b, r.ScanID)
	b = append(b, `,"result":`...)
	b = appendJSONString(b, string(r.Result))
	b = append(b, `,"volume":`...)
	b = appendVolume(b, r.Volume)
	b = append(b, `,"location":`...)
	b = appendLocation(b, r.Location)
	b = append(b, `,"previous_location":`...)
	b = appendLocation(b, r.PreviousLocation)
	b = append(b, `,"scanned_at":`...)
	b = r.ScannedAt.appendJSON(b)
	b = append(b, `,"received_at":`...)
	b = r.ReceivedAt.appendJSON(b)
	if r.Message != "" {
		b = append(b, `,"message":`...)
		b = appendJSONString(b, r.Message)
	}
	if r.TimeAdjusted {
		b = append(b, `,"time_adjusted":true`...)
	}
	if len(r.Choices) > 0 {
		b = append(b, `,"choices":[`...)
		for i, v := range r.Choices {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendVolume(b, v)
		}
		b = append(b, ']')
	}
	if r.Error != nil {
		b = append(b, `,"error":{"code":`...)
		b = appendJSONString(b, r.Error.Code)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, r.Error.Message)
		if r.Error.Field != "" {
			b = append(b, `,"field":`...)
			b = appendJSONString(b, r.Error.Field)
		}
		b = append(b, '}')
	}
	b = r.appendRouting(b)
	if r.Found {
		b = append(b, `,"found":true`...)
	}
	if r.Relabel != nil {
		b = append(b, `,"relabel":`...)
		b = r.Relabel.appendJSON(b)
	}
	return append(b, '}')
}

func appendVolume(b []byte, v *Volume) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"barcode":`...)
	b = appendJSONString(b, v.Barcode)
	b = append(b, `,"volume_number":`...)
	b = strconv.AppendInt(b, int64(v.Number), 10)
	if v.Count != 0 {
		b = append(b, `,"volume_count":`...)
		b = strconv.AppendInt(b, int64(v.Count), 10)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(v.Status))
	if v.Patient != nil {
		b = append(b, `,"patient":`...)
		b = appendPatient(b, v.Patient)
	}
	if v.Home != nil {
		b = append(b, `,"home_location":`...)
		b = appendLocation(b, v.Home)
	}
	if v.Current != nil {
		b = append(b, `,"current_location":`...)
		b = appendLocation(b, v.Current)
	}
	b = append(b, `,"since":`...)
	b = v.Since.appendJSON(b)
	if v.LegacyCode != "" {
		b = append(b, `,"legacy_barcode":`...)
		b = appendJSONString(b, v.LegacyCode)
	}
	return appendVolumeRecord(b, v)
}

// appendVolumeRecord writes what a volume shown on its own carries (see
// Volume.Original) and closes it.
func appendVolumeRecord(b []byte, v *Volume) []byte {
	if v.Original != "" {
		b = append(b, `,"original":`...)
		b = appendJSONString(b, v.Original)
	}
	if v.Due != nil {
		b = append(b, `,"due":`...)
		b = v.Due.appendJSON(b)
	}
	if v.AmalgamatedInto != "" {
		b = append(b, `,"amalgamated_into":`...)
		b = appendJSONString(b, v.AmalgamatedInto)
	}
	if len(v.StatusHistory) > 0 {
		b = append(b, `,"status_history":[`...)
		for i, c := range v.StatusHistory {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStatusChange(b, c)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendStatusChange(b []byte, c *StatusChange) []byte {
	if c == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"status":`...)
	b = appendJSONString(b, string(c.Status))
	b = append(b, `,"from":`...)
	b = appendJSONString(b, string(c.From))
	b = append(b, `,"note":`...)
	b = appendJSONString(b, c.Note)
	b = append(b, `,"by":`...)
	b = appendJSONString(b, c.By)
	b = append(b, `,"at":`...)
	b = c.At.appendJSON(b)
	return append(b, '}')
}

func appendPatient(b []byte, p *Patient) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"hospital_number":`...)
	b = appendJSONString(b, p.HospitalNumber)
	if p.NHSNumber != "" {
		b = append(b, `,"nhs_number":`...)
		b = appendJSONString(b, p.NHSNumber)
	}
	b = append(b, `,"family_name":`...)
	b = appendJSONString(b, p.FamilyName)
	b = append(b, `,"given_name":`...)
	b = appendJSONString(b, p.GivenName)
	if p.BirthDate != nil {
		b = append(b, `,"birth_date":`...)
		b = p.BirthDate.appendJSON(b)
	}
	if p.DeathDate != nil {
		b = append(b, `,"death_date":`...)
		b = p.DeathDate.appendJSON(b)
	}
	if len(p.Volumes) > 0 {
		b = append(b, `,"volumes":[`...)
		for i, v := range p.Volumes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendVolume(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendLocation(b []byte, l *Location) []byte {
	if l == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, l.ID, 10)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, l.Code)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, l.Name)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(l.Kind))
	b = append(b, `,"barcode":`...)
	b = appendJSONString(b, l.Barcode)
	if l.ParentCode != "" {
		b = append(b, `,"parent_code":`...)
		b = appendJSONString(b, l.ParentCode)
	}
	if l.GLN != "" {
		b = append(b, `,"gln":`...)
		b = appendJSONString(b, l.GLN)
	}
	if l.LegacyBarcode != "" {
		b = append(b, `,"legacy_barcode":`...)
		b = appendJSONString(b, l.LegacyBarcode)
	}
	if l.LoanPeriod != nil {
		b = append(b, `,"loan_period":`...)
		b = l.LoanPeriod.appendJSON(b)
	}
	return append(b, '}')
}

// appendJSON writes the timestamp as MarshalJSON does.
func (t Timestamp) appendJSON(b []byte) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, t.layout())
	return append(b, '"')
}

func (d Date) appendJSON(b []byte) []byte {
	b = append(b, '"')
	b = d.AppendFormat(b, DateLayout)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does by default: control
// characters, quotes, backslashes, <, > and & escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped for the sake of JavaScript.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendRouting writes what the scan meant for requests, when anything.
func (r *ScanResult) appendRouting(b []byte) []byte {
	if len(r.Fulfils) > 0 {
		b = append(b, `,"fulfils":[`...)
		for i, id := range r.Fulfils {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		b = append(b, ']')
	}
	if len(r.Wanted) > 0 {
		b = append(b, `,"wanted":[`...)
		for i, w := range r.Wanted {
			if i > 0 {
				b = append(b, ',')
			}
			b = w.appendJSON(b)
		}
		b = append(b, ']')
	}
	if len(r.PartArrivals) > 0 {
		b = append(b, `,"incomplete":[`...)
		for i, p := range r.PartArrivals {
			if i > 0 {
				b = append(b, ',')
			}
			b = p.appendJSON(b)
		}
		b = append(b, ']')
	}
	return b
}

func (w WantedAt) appendJSON(b []byte) []byte {
	b = append(b, `{"request":`...)
	b = strconv.AppendInt(b, w.Request, 10)
	b = append(b, `,"location":`...)
	b = appendLocation(b, w.Location)
	b = append(b, `,"needed_by":`...)
	b = w.NeededBy.appendJSON(b)
	b = append(b, `,"priority":`...)
	b = appendJSONString(b, string(w.Priority))
	return append(b, '}')
}

func (p PartArrival) appendJSON(b []byte) []byte {
	b = append(b, `{"request":`...)
	b = strconv.AppendInt(b, p.Request, 10)
	b = append(b, `,"arrived":`...)
	b = strconv.AppendInt(b, int64(p.Arrived), 10)
	b = append(b, `,"of":`...)
	b = strconv.AppendInt(b, int64(p.Of), 10)
	return append(b, '}')
}
