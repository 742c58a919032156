package tracking

import (
	"context"
	"strings"
	"time"
)

// Retention is what stands between a volume and its destruction
// (SAFETY.md H09): the date a records manager set it must be kept until
// (its review date), and a legal hold on its patient's whole record.
// Nothing in casetrack destroys a volume by itself: a person records a
// destruction, and these refuse it while they hold.
type Retention struct {
	RetainUntil *Date `json:"retain_until,omitempty"`
	Hold        *Hold `json:"legal_hold,omitempty"`
	// Proposal is a destruction one person has asked for and a second
	// must approve, when destruction needs two people.
	Proposal *DestructionProposal `json:"destruction_proposal,omitempty"`
}

// Hold is a legal hold on a patient's record: a claim, an inquiry or a
// complaint that needs every volume kept, whatever its review date says.
type Hold struct {
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
	At     Timestamp `json:"at"`
}

// DestructionProposal is the first of the two people who record a
// volume's destruction when destruction needs two.
type DestructionProposal struct {
	By   string    `json:"by"`
	At   Timestamp `json:"at"`
	Note string    `json:"note,omitempty"`
}

// RetentionStore is the part of Store that keeps review dates, legal
// holds and destruction proposals.
type RetentionStore interface {
	// FindRetention returns what stands between each volume named and
	// its destruction, by volume id; a volume with nothing has no entry.
	FindRetention(ctx context.Context, volumeIDs []int64) (map[int64]*Retention, error)
	// SetHold places (h not nil) or lifts (nil) the legal hold on a
	// patient's record, with those of records merged into it; lifting
	// one there is not is ENOTFOUND.
	SetHold(ctx context.Context, patientID int64, h *Hold) error
	// FindHold reads the hold on a patient's record (or on one merged
	// into it); nil when there is none.
	FindHold(ctx context.Context, patientID int64) (*Hold, error)
}

// maxHoldReasonLen bounds a hold's reason: a reference and a sentence.
const maxHoldReasonLen = 500

// CheckHoldReason tidies the reason given for a legal hold: one is
// needed, so that whoever finds the hold later knows whom to ask.
func CheckHoldReason(reason string) (string, error) {
	// A reason typed over several lines is kept as one.
	reason = strings.Join(strings.Fields(reason), " ")
	switch {
	case reason == "":
		return "", FieldError("reason", "Say why the record is held (a claim, an inquiry, a complaint), so that others know whom to ask.")
	case len([]rune(reason)) > maxHoldReasonLen:
		return "", FieldError("reason", "The reason must be at most %d characters.", maxHoldReasonLen)
	case !printable(reason):
		return "", FieldError("reason", "The reason may not contain control characters.")
	}
	return reason, nil
}

// CheckDestruction reports whether a volume may be recorded destroyed on
// the day given: never while its patient's record is held, nor before the
// date it must be kept until.
func CheckDestruction(v *Volume, r *Retention, today Date) error {
	if r == nil {
		return nil
	}
	if h := r.Hold; h != nil && h.Reason == "" {
		return &Error{Code: ECONFLICT, Field: "status", Message: "Volume " + v.Barcode +
			" may not be destroyed: its patient's record is under a legal hold (placed on " + DateOf(h.At.Time).Label() +
			"). Ask the records manager."}
	}
	if h := r.Hold; h != nil {
		return &Error{Code: ECONFLICT, Field: "status", Message: "Volume " + v.Barcode +
			" may not be destroyed: its patient's record is under a legal hold (" + h.Reason + ", placed by " +
			h.By + " on " + DateOf(h.At.Time).Label() + "). Lift the hold first."}
	}
	if r.RetainUntil != nil && r.RetainUntil.After(today.Time) {
		return &Error{Code: ECONFLICT, Field: "status", Message: "Volume " + v.Barcode +
			" must be kept until " + r.RetainUntil.Label() + ": it may not be destroyed before then."}
	}
	return nil
}

// CheckRetainUntil checks a review date being set: a date some time
// after 1900 and before 2200 (a typing slip otherwise).
func CheckRetainUntil(d Date) error {
	if d.Year() < 1900 || d.Year() >= 2200 {
		return FieldError("retain_until", "The date to keep the volume until (%s) is not a plausible date.", d)
	}
	return nil
}

// CheckRetainUntilChange checks a change of a volume's review date (from
// stored, nil when it has none): a plausible date; never in the request
// that records the volume destroyed (the destruction is judged against
// the date as stored); and only a records manager (or admin) may remove
// a date or bring it earlier, since that is what makes a folder
// destroyable sooner.
func CheckRetainUntilChange(stored *Date, ch Change[Date], role Role, destroying bool) error {
	if destroying {
		return FieldError("retain_until", "Change the review date and record the destruction separately.")
	}
	if ch.Action == SetValue {
		if err := CheckRetainUntil(ch.Value); err != nil {
			return err
		}
	}
	earlier := stored != nil && (ch.Action == ClearValue || ch.Action == SetValue && ch.Value.Before(stored.Time))
	if earlier && !role.Can(PermReport) {
		return &Error{Code: EFORBIDDEN, Field: "retain_until", Message: "Only a records manager may remove a review date or bring it earlier (it is kept until " +
			stored.Label() + ")."}
	}
	return nil
}

// DestructionStep is what a request to record a volume destroyed comes
// to when destruction needs two people.
type DestructionStep int

// The steps of a two-person destruction.
const (
	DestroyNow      DestructionStep = iota // record it destroyed
	ProposeDestroy                         // keep the first person's proposal; a second must approve
	DestroyNotAgain                        // the proposer asked again: a second person is needed
)

// NextDestructionStep decides a request by actor to record a volume
// destroyed: with one person needed it is done at once; with two, the
// first request is a proposal, and a different person's request
// approves it. A proposal older than DestructionProposalLife no longer
// counts, so an approval is always of a recent look at the folder.
func NextDestructionStep(twoPeople bool, p *DestructionProposal, actor string, now time.Time) DestructionStep {
	switch {
	case !twoPeople:
		return DestroyNow
	case p == nil || now.Sub(p.At.Time) > DestructionProposalLife:
		return ProposeDestroy
	case strings.EqualFold(p.By, actor):
		return DestroyNotAgain
	}
	return DestroyNow
}

// Current is the retention as it stands at now: a proposal older than
// DestructionProposalLife has lapsed and is left out (nil when nothing
// is left).
func (r *Retention) Current(now time.Time) *Retention {
	if r == nil || r.Proposal == nil || now.Sub(r.Proposal.At.Time) <= DestructionProposalLife {
		return r
	}
	if r.RetainUntil == nil && r.Hold == nil {
		return nil
	}
	return &Retention{RetainUntil: r.RetainUntil, Hold: r.Hold}
}

// ForRole is the retention as someone of the role may see it: the hold's
// reason only for those who may read it (see Hold.ForRole).
func (r *Retention) ForRole(role Role) *Retention {
	if r == nil || r.Hold == nil {
		return r
	}
	return &Retention{RetainUntil: r.RetainUntil, Hold: r.Hold.ForRole(role), Proposal: r.Proposal}
}

// Same reports whether two readings of a volume's retention (nil is
// nothing in the way) agree on its review date, its hold and who
// proposed destroying it: what a destruction was decided on.
func (r *Retention) Same(o *Retention) bool {
	if r == nil {
		r = &Retention{}
	}
	if o == nil {
		o = &Retention{}
	}
	sameDate := (r.RetainUntil == nil) == (o.RetainUntil == nil) && (r.RetainUntil == nil || r.RetainUntil.Equal(o.RetainUntil.Time))
	sameHold := (r.Hold == nil) == (o.Hold == nil) && (r.Hold == nil || r.Hold.Reason == o.Hold.Reason && r.Hold.By == o.Hold.By)
	sameProp := (r.Proposal == nil) == (o.Proposal == nil) && (r.Proposal == nil || r.Proposal.By == o.Proposal.By)
	return sameDate && sameHold && sameProp
}

// DestructionProposalLife is how long a proposal to destroy waits for its
// second person.
const DestructionProposalLife = 30 * 24 * time.Hour

// PlaceHold puts a legal hold on a patient's record: none of its volumes
// may be recorded destroyed until it is lifted. Placing one again
// replaces its reason. A merged record's hold goes on the survivor, which
// now holds its volumes.
func (s *Service) PlaceHold(ctx context.Context, a Actor, hospitalNumber, reason string) (*Patient, error) {
	reason, err := CheckHoldReason(reason)
	if err != nil {
		return nil, err
	}
	h := &Hold{Reason: reason, By: a.Name, At: TimestampOf(s.now())}
	return s.changeHold(ctx, a, hospitalNumber, h, "place_hold", reason)
}

// LiftHold ends the legal hold on a patient's record, saying why; the
// access log keeps what the hold was, who lifted it and why, so that the
// hold's story outlives it.
func (s *Service) LiftHold(ctx context.Context, a Actor, hospitalNumber, why string) (*Patient, error) {
	why, err := CheckHoldReason(why)
	if err != nil {
		return nil, &Error{Code: EINVALID, Field: "reason", Message: "Say why the hold is lifted (the claim settled, the inquiry closed)."}
	}
	return s.changeHold(ctx, a, hospitalNumber, nil, "lift_hold", why)
}

func (s *Service) changeHold(ctx context.Context, a Actor, hospitalNumber string, h *Hold, action, detail string) (*Patient, error) {
	p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(hospitalNumber))
	if err != nil {
		return nil, err
	}
	if h == nil {
		was, err := s.Store.FindHold(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		if was == nil {
			return nil, Errorf(ENOTFOUND, "The patient's record is not under a legal hold.")
		}
		detail += " (the hold was: " + was.Reason + ", placed by " + was.By + " on " + DateOf(was.At.Time).Label() + ")"
	}
	if err := s.Store.SetHold(ctx, p.ID, h); err != nil {
		return nil, err
	}
	s.Logger.Info("legal hold changed", "action", action, "by", a.Name)
	if p.Volumes, err = s.Store.FindVolumesOfPatient(ctx, p.ID); err != nil {
		return nil, err
	}
	if err := s.AddStatusRecords(ctx, a, p.Volumes); err != nil {
		return nil, err
	}
	return p, s.audit(ctx, a, action, detail, p.ID)
}

// FindHold reads the legal hold on the record a hospital number names
// (the survivor's, for a merged one); nil when there is none. It shows
// no patient details beyond the hold.
func (s *Service) FindHold(ctx context.Context, p *Patient) (*Hold, error) {
	return s.Store.FindHold(ctx, p.ID)
}

// ForRole is the hold as someone of the role may see it: that a record
// is held is everyone's business (nobody should destroy its folders), but
// why (a claim, a complaint) is the records manager's.
func (h *Hold) ForRole(r Role) *Hold {
	if h == nil || r.Can(PermReport) {
		return h
	}
	return &Hold{At: h.At}
}
