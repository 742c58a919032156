package csvimport

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"

	"github.com/casetrack/casetrack/tracking"
)

// LineError is a line of an import file that did not go in, and why, for
// the person who made the file to put right. Field is the file's column
// at fault, or empty when the line as a whole is (its quotes, its number
// of values). Line counts the file's lines from 1, the header being line
// 1; a record whose quoted value runs over several lines is reported on
// the line it starts on.
type LineError = tracking.LineError

// lineError turns a tracking rule's error into a line's error.
func lineError(line int, err error) *LineError {
	le := &LineError{Line: line, Message: tracking.ErrorMessage(err)}
	var e *tracking.Error
	if errors.As(err, &e) {
		le.Field = e.Field
	}
	return le
}

// MaxReportErrors is how many line errors a report lists. A file whose
// every line is wrong (a date column in the US order, say) would
// otherwise make a report as large as the file; the first thousands show
// what to fix, and the rest are counted.
const MaxReportErrors = 10_000

// Report is what an import answers, over the API and on the command
// line. Each line of the file is counted in exactly one of Accepted (new),
// Updated, Unchanged or Errors; importing the same file again leaves
// every good line Unchanged.
type Report struct {
	Accepted  int         `json:"accepted"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Errors    []LineError `json:"errors"`
	// ErrorsNotListed counts the errors beyond MaxReportErrors.
	ErrorsNotListed int `json:"errors_not_listed,omitempty"`
}

// AddErrors records refused lines, listing at most MaxReportErrors.
func (r *Report) AddErrors(errs ...LineError) {
	room := max(MaxReportErrors-len(r.Errors), 0)
	if len(errs) > room {
		r.ErrorsNotListed += len(errs) - room
		errs = errs[:room]
	}
	r.Errors = append(r.Errors, errs...)
}

// Refused is how many lines did not go in: the command line exits 1 when
// any did not.
func (r *Report) Refused() int { return len(r.Errors) + r.ErrorsNotListed }

// MarshalJSON writes the errors in line order, and as [] when there are
// none, so clients need not tell null from empty.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	errs := slices.Clone(r.Errors)
	if errs == nil {
		errs = []LineError{}
	}
	slices.SortStableFunc(errs, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	r.Errors = errs
	return json.Marshal(plain(r))
}
