package tracking

import (
	"context"
	"strconv"
	"time"
)

// FeedMessage is one message from the PAS feed as casetrack keeps it:
// every message is kept, applied or not, with the answer it was given, so
// that a records manager can account for each one.
type FeedMessage struct {
	ID         int64
	ReceivedAt time.Time
	Remote     string // the sender's address and port
	// Sender, Facility and ControlID (MSH-3, MSH-4, MSH-10) identify the
	// message: a resend carries the same three.
	Sender, Facility, ControlID string
	Type                        string // "ADT^A08"
	// Status is the answer: AA applied, AE refused, AR rejected.
	Status string
	// Applied is set when the message changed casetrack: the first AA of
	// its control id. RepeatOf is that message's id for a resend.
	Applied  bool
	RepeatOf int64
	Code     int    // the HL7 error condition of AE and AR (table 0357)
	Where    string // where the fault is ("PID-3")
	Reason   string // why it was refused, for the records manager
	// PatientID is the patient the message was about, when casetrack
	// holds them.
	PatientID int64
	// Raw is the message as received, made storable (see StorableText);
	// ACK the answer sent.
	Raw, ACK string
}

// FeedFilter narrows FindFeedMessages.
type FeedFilter struct {
	ID     int64
	Status string // AA, AE or AR; empty for all
	// Before pages back: messages with a smaller id.
	Before int64
	Limit  int
}

// FeedStore is the part of Store that keeps the PAS feed's messages.
type FeedStore interface {
	// RecordFeedMessage keeps m and applies it, in one transaction: apply
	// makes the message's changes through PatientTx and m is kept as
	// applied. When a message with m's sender, facility and control id
	// was applied before, m's changes are not kept (apply may have run)
	// and m is kept as its repeat (RepeatOf, naming the first's patient),
	// with no error, whatever apply said. Any other error from apply
	// undoes everything, m too.
	RecordFeedMessage(ctx context.Context, m *FeedMessage, apply func(PatientTx) error) error
	// KeepFeedMessage keeps a message that changed nothing.
	KeepFeedMessage(ctx context.Context, m *FeedMessage) error
	// FindFeedMessages returns messages newest first.
	FindFeedMessages(ctx context.Context, f FeedFilter) ([]*FeedMessage, error)
}

// feedActor is who the access log and the merge record say a change made
// by the PAS feed was made by.
var feedActor = Actor{Name: "PAS feed", Role: "feed"}

// KeepFeedMessage keeps a message that was not applied, with its answer.
func (s *Service) KeepFeedMessage(ctx context.Context, m *FeedMessage) error {
	m.Raw = StorableText(m.Raw)
	return s.Store.KeepFeedMessage(ctx, m)
}

// ApplyFeedPatient applies a PAS message that creates or updates a patient
// (ADT A01, A03, A04, A05, A08, A28, A31) and keeps it, once per control
// id: see FeedStore.RecordFeedMessage and checkFeedIdentity.
func (s *Service) ApplyFeedPatient(ctx context.Context, m *FeedMessage, hospitalNumber string, c PatientChange) error {
	return s.recordFeed(ctx, m, func(tx PatientTx, f *feedPatients) error {
		_, err := f.patient(tx, hospitalNumber, c)
		return err
	})
}

// ApplyFeedMerge applies an ADT A40: the survivor (created or updated from
// the message) takes the duplicate's volumes as MergePatient gives them. A
// duplicate casetrack does not hold, or has merged into the survivor
// already, leaves only the survivor's update to apply.
func (s *Service) ApplyFeedMerge(ctx context.Context, m *FeedMessage, survivorHN string, c PatientChange, duplicateHN string) error {
	return s.recordFeed(ctx, m, func(tx PatientTx, f *feedPatients) error {
		survivor, err := f.patient(tx, survivorHN, c)
		if err != nil {
			return err
		}
		dup, err := tx.PatientByHospitalNumber(duplicateHN)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return nil
		case err != nil:
			return err
		case dup.MergedIntoID == survivor.ID && dup.ID != survivor.ID:
			return nil
		}
		if err := checkFeedMerge(dup, survivor); err != nil {
			return err
		}
		plan, err := s.planMerge(tx, dup, survivor, feedActor, MergeByFeed)
		if err != nil {
			return err
		}
		return s.merge(tx, &plan)
	})
}

// recordFeed keeps and applies a message through apply. The message names
// the patient it was about, unless that patient was created by the
// attempt that failed and so does not exist.
func (s *Service) recordFeed(ctx context.Context, m *FeedMessage, apply func(PatientTx, *feedPatients) error) error {
	m.Raw = StorableText(m.Raw)
	f := &feedPatients{s: s, m: m}
	err := s.Store.RecordFeedMessage(ctx, m, func(tx PatientTx) error {
		f.created = false
		return apply(tx, f)
	})
	if err != nil && f.created {
		m.PatientID = 0
	}
	return err
}

// feedPatients creates and updates the patients of one message.
type feedPatients struct {
	s       *Service
	m       *FeedMessage
	created bool
}

// patient creates or updates the patient a message is about.
func (f *feedPatients) patient(tx PatientTx, hospitalNumber string, c PatientChange) (*Patient, error) {
	var nhs string
	if c.NHSNumber.Action == SetValue {
		nhs = c.NHSNumber.Value
	}
	stored, byNHS, err := tx.PatientsByNumbers(hospitalNumber, nhs)
	if err != nil {
		return nil, err
	}
	if stored != nil {
		f.m.PatientID = stored.ID
	}
	if err := checkFeedIdentity(stored, byNHS, c); err != nil {
		return nil, err
	}
	if stored == nil {
		return f.create(tx, hospitalNumber, c)
	}
	next, fields, err := f.s.changed(stored, c)
	if err != nil || len(fields) == 0 {
		return stored, err
	}
	return next, tx.UpdatePatient(next)
}

// create makes a patient from a message: with no volume until the library
// makes one.
func (f *feedPatients) create(tx PatientTx, hospitalNumber string, c PatientChange) (*Patient, error) {
	next, _, err := f.s.changed(&Patient{HospitalNumber: hospitalNumber}, c)
	if err != nil {
		return nil, err
	}
	next.CreatedAt = f.s.now()
	if err := tx.CreatePatient(next); err != nil {
		return nil, err
	}
	f.m.PatientID, f.created = next.ID, true
	return next, nil
}

// checkFeedIdentity refuses a message that may be about someone other
// than the patient casetrack holds under its hospital number (SAFETY.md
// H15): its NHS number held by another patient, an NHS number or date of
// birth that differs from the stored one, or a record merged away. Such a
// message is refused (AE) and kept for review; it is never linked.
func checkFeedIdentity(stored, byNHS *Patient, c PatientChange) error {
	switch {
	case stored != nil && stored.MergedIntoID != 0:
		return errMerged(stored)
	case byNHS != nil && (stored == nil || byNHS.ID != stored.ID):
		return &Error{Code: ECONFLICT, Field: "nhs_number", Message: "NHS number " + FormatNHSNumber(c.NHSNumber.Value) +
			" belongs to another patient in casetrack: not linked to this hospital number. Check the PAS for a duplicate record."}
	case stored == nil:
		return nil
	case c.NHSNumber.Action == SetValue && stored.NHSNumber != "" && stored.NHSNumber != c.NHSNumber.Value:
		return &Error{Code: ECONFLICT, Field: "nhs_number", Message: "The NHS number differs from the one casetrack holds for " +
			stored.HospitalNumber + ": not applied. Check which is right, and correct the record before sending the message again."}
	case c.BirthDate.Action == SetValue && stored.BirthDate != nil && !stored.BirthDate.Equal(c.BirthDate.Value.Time):
		return &Error{Code: ECONFLICT, Field: "birth_date", Message: "The date of birth differs from the one casetrack holds for " +
			stored.HospitalNumber + ": not applied. Check which is right, and correct the record before sending the message again."}
	}
	return nil
}

// checkFeedMerge refuses an A40 whose two records disagree on who the
// person is: different NHS numbers, or different dates of birth. A person
// merging records by hand sees both first; a message cannot.
func checkFeedMerge(dup, survivor *Patient) error {
	switch {
	case differentNHSNumbers(dup, survivor):
		return &Error{Code: ECONFLICT, Field: "nhs_number", Message: "The records to merge have different NHS numbers: not merged. Check them, and merge them by hand if they are one person."}
	case differentBirthDates(dup, survivor):
		return &Error{Code: ECONFLICT, Field: "birth_date", Message: "The records to merge have different dates of birth: not merged. Check them, and merge them by hand if they are one person."}
	}
	return nil
}

// FindFeedMessages lists the feed's messages, newest first (100 unless the
// filter asks for fewer). Stored messages hold patient data: the list is
// written to the access log, with every patient it names.
func (s *Service) FindFeedMessages(ctx context.Context, a Actor, f FeedFilter) ([]*FeedMessage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	ms, err := s.Store.FindFeedMessages(ctx, f)
	if err != nil {
		return nil, err
	}
	entries := []Access{{At: s.now(), Actor: a.Name, ActorKind: a.KindOf(), Role: a.Role, Action: "view_feed", Detail: feedDetail(f, len(ms))}}
	for _, m := range ms {
		if m.PatientID != 0 {
			entries = append(entries, s.accessEntries(a, "view_feed", "message "+strconv.FormatInt(m.ID, 10), m.PatientID)...)
		}
	}
	return ms, s.Store.LogAccess(ctx, entries)
}

func feedDetail(f FeedFilter, n int) string {
	switch {
	case f.ID != 0:
		return "message " + strconv.FormatInt(f.ID, 10)
	case f.Status != "":
		return "list of " + strconv.Itoa(n) + " messages, status " + f.Status
	}
	return "list of " + strconv.Itoa(n) + " messages"
}

// FindFeedMessage returns one message with its raw text; the view is
// written to the access log.
func (s *Service) FindFeedMessage(ctx context.Context, a Actor, id int64) (*FeedMessage, error) {
	ms, err := s.FindFeedMessages(ctx, a, FeedFilter{ID: id, Limit: 1})
	return only(ms, err, "feed message", id)
}
