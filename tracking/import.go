package tracking

import (
	"context"
	"errors"
	"fmt"
)

// LineError is a line of an import file that did not go in, and why, for
// the person who made the file to put right. Field is the file's column at
// fault, or empty when the line as a whole is. Line counts the file's lines
// from 1, the header being line 1.
type LineError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Field, e.Message)
}

// ImportCounts is what one batch of an import did: each line is counted in
// exactly one of Accepted (new), Updated and Unchanged, or is in Errors.
type ImportCounts struct {
	Accepted, Updated, Unchanged int
	Errors                       []LineError
}

// add counts one line's outcome.
func (c *ImportCounts) add(o lineOutcome, line int, err error) {
	switch {
	case err != nil:
		c.Errors = append(c.Errors, importError(line, err))
	case o == lineNew:
		c.Accepted++
	case o == lineUpdated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// importError is a rule's error as a line's error; the field is renamed
// to the file's column by the caller where they differ.
func importError(line int, err error) LineError {
	le := LineError{Line: line, Message: ErrorMessage(err)}
	var e *Error
	if errors.As(err, &e) {
		le.Field = e.Field
	}
	return le
}

// keysOf lists the keys of lines that have one, in line order: what a
// batch asks the store to read.
func keysOf[L any](lines []L, key func(*L) string) []string {
	out := make([]string, 0, len(lines))
	for i := range lines {
		if k := key(&lines[i]); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// lineOutcome is what became of one good line.
type lineOutcome uint8

const (
	lineUnchanged lineOutcome = iota
	lineNew
	lineUpdated
)

// ImportStore is the part of Store that writes a bulk import a batch at a
// time. Each method is one transaction: it reads what the batch's Decide
// needs, calls it, and writes what it decided; for a dry run it reads and
// decides only. On a conflict with a write made meanwhile it returns
// ECONFLICT, and the batch is decided again.
type ImportStore interface {
	ImportLocations(ctx context.Context, b *LocationBatch) error
	ImportPatients(ctx context.Context, b *PatientBatch) error
	ImportVolumes(ctx context.Context, b *VolumeBatch) error
}

// Import is one run of a bulk import: the lines of a file, given a batch at
// a time in file order. Importing the same file again changes nothing; a
// value a line leaves empty never changes what is stored (defaults apply
// to new records only), and a dry run decides everything and writes
// nothing.
type Import struct {
	s      *Service
	actor  Actor
	dryRun bool
	// places are the stored locations, read once when volumes or
	// locations are first imported, and kept up to date with what the
	// run adds (which a dry run does not store).
	places *placeIndex
	// earlier are the locations a dry run decided, which it did not store.
	earlier []*Location
}

// NewImport starts an import run as the actor.
func (s *Service) NewImport(a Actor, dryRun bool) *Import {
	return &Import{s: s, actor: a, dryRun: dryRun}
}

// DryRun reports whether the run writes nothing.
func (im *Import) DryRun() bool { return im.dryRun }

// ImportSummary is what a whole run did, for the access log.
type ImportSummary struct {
	Kind                                  string
	Accepted, Updated, Unchanged, Refused int
}

// Finish records the run in the access log (who imported what, and how
// much) and makes the locations it changed visible to every lookup at once.
func (im *Import) Finish(ctx context.Context, s ImportSummary) error {
	if im.dryRun {
		return nil
	}
	im.s.locations.forget()
	im.s.sensitiveLocs.forget()
	detail := fmt.Sprintf("%s: %d accepted, %d updated, %d unchanged, %d refused", s.Kind, s.Accepted, s.Updated, s.Unchanged, s.Refused)
	return im.s.Store.LogAccess(ctx, []Access{{At: im.s.now(), Actor: im.actor.Name, ActorKind: im.actor.KindOf(), Role: im.actor.Role, Action: "import", Detail: detail}})
}

// importAttempts is how many times a batch is decided and written before
// its lines are taken one at a time: a conflict means another writer
// changed the same records meanwhile.
const importAttempts = 2

// write runs one batch through the store, deciding it again after a
// conflict; a batch that still conflicts is written a line at a time, so
// that the line at fault is the only one refused.
func write[L any](ctx context.Context, lines []L, lineOf func(L) int, run func([]L) (ImportCounts, error)) (ImportCounts, error) {
	var err error
	for range importAttempts {
		var c ImportCounts
		if c, err = run(lines); ErrorCode(err) != ECONFLICT {
			return c, err
		}
	}
	if len(lines) == 1 {
		return ImportCounts{Errors: []LineError{importError(lineOf(lines[0]), err)}}, nil
	}
	var all ImportCounts
	for _, l := range lines {
		c, err := write(ctx, []L{l}, lineOf, run)
		if err != nil {
			return all, err
		}
		all.Accepted, all.Updated, all.Unchanged = all.Accepted+c.Accepted, all.Updated+c.Updated, all.Unchanged+c.Unchanged
		all.Errors = append(all.Errors, c.Errors...)
	}
	return all, nil
}
