package tracking

import (
	"context"
	"strings"
)

// PatientChange is a partial change to a patient's details, from a PATCH,
// the edit page or a PAS message. The hospital number is not among them:
// it changes only by merging.
type PatientChange struct {
	NHSNumber  Change[string]
	FamilyName Change[string]
	GivenName  Change[string]
	BirthDate  Change[Date]
	DeathDate  Change[Date]
}

// PatientTx is what a change to patients reads and writes inside its
// transaction (Store.ChangePatients). A patient read through it stays
// locked until the transaction ends, so the rules decide from what is
// stored and nothing changes it before their decision is written.
type PatientTx interface {
	// PatientByHospitalNumber reads the patient stored under the number,
	// merged or not (MergedIntoID says), without volumes; ENOTFOUND when
	// there is none.
	PatientByHospitalNumber(hn string) (*Patient, error)
	// PatientsByNumbers reads at once the patient stored under the
	// hospital number and the one holding the NHS number (nil where there
	// is none; the same patient when it holds both), merged or not.
	PatientsByNumbers(hospitalNumber, nhsNumber string) (byHN, byNHS *Patient, err error)
	// VolumesOf lists a patient's volumes in number order.
	VolumesOf(patientID int64) ([]*Volume, error)
	// CreatePatient stores a new patient with no volume and sets its ID.
	CreatePatient(p *Patient) error
	// UpdatePatient stores the patient's details: NHS number, names, dates.
	UpdatePatient(p *Patient) error
	// Merge writes a merge as planned and sets its ID.
	Merge(m *MergePlan) error
	// LogAccess writes access-log entries in the same transaction.
	LogAccess(entries []Access) error
	// Appointment reads the appointment stored under the PAS's id; nil
	// when there is none. SaveAppointment locks it again.
	Appointment(pasID string) (*Appointment, error)
	// SaveAppointment is AppointmentStore.SaveAppointment inside the
	// transaction (a PAS message's).
	SaveAppointment(a *Appointment, req *Request) (AppointmentOutcome, error)
}

// check refuses what no patient may be changed to, whatever they hold now.
func (c PatientChange) check() error {
	if c.FamilyName.Action == ClearValue || c.FamilyName.Action == SetValue && strings.TrimSpace(c.FamilyName.Value) == "" {
		return FieldError("family_name", "Family name is required; it cannot be removed.")
	}
	return nil
}

// applyTo makes the change to p.
func (c PatientChange) applyTo(p *Patient) {
	c.NHSNumber.applyTo(&p.NHSNumber)
	c.FamilyName.applyTo(&p.FamilyName)
	c.GivenName.applyTo(&p.GivenName)
	c.BirthDate.applyToPtr(&p.BirthDate)
	c.DeathDate.applyToPtr(&p.DeathDate)
}

// changed returns p with the change made and checked by the patient rules,
// and the names of the fields whose stored value it changes.
func (s *Service) changed(p *Patient, c PatientChange) (*Patient, []string, error) {
	if err := c.check(); err != nil {
		return nil, nil, err
	}
	next := *p
	next.Volumes = nil
	c.applyTo(&next)
	next.Normalize()
	if err := next.Validate(s.today()); err != nil {
		return nil, nil, err
	}
	return &next, patientDifferences(p, &next), nil
}

// patientDifferences names the details in which b differs from a.
func patientDifferences(a, b *Patient) []string {
	var out []string
	for _, d := range []struct {
		field string
		same  bool
	}{
		{"nhs_number", a.NHSNumber == b.NHSNumber},
		{"family_name", a.FamilyName == b.FamilyName},
		{"given_name", a.GivenName == b.GivenName},
		{"birth_date", sameDate(a.BirthDate, b.BirthDate)},
		{"death_date", sameDate(a.DeathDate, b.DeathDate)},
	} {
		if !d.same {
			out = append(out, d.field)
		}
	}
	return out
}

func sameDate(a, b *Date) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(b.Time)
}

// errMerged refuses to change a record that was merged: its details now
// live on the survivor.
func errMerged(p *Patient) error {
	return Errorf(ECONFLICT, "Patient %s has been merged into another record; change that one instead (searching for %s finds it).",
		p.HospitalNumber, p.HospitalNumber)
}

// UpdatePatient changes a patient's details as a person asked (PATCH, the
// edit page) and returns the patient as now stored, with its volumes. A
// merged record cannot be changed; a clash with another patient's NHS
// number is ECONFLICT.
func (s *Service) UpdatePatient(ctx context.Context, a Actor, hospitalNumber string, c PatientChange) (*Patient, error) {
	var out *Patient
	err := s.Store.ChangePatients(ctx, func(tx PatientTx) error {
		p, err := tx.PatientByHospitalNumber(normalizeCode(hospitalNumber))
		if err != nil {
			return err
		}
		if p.MergedIntoID != 0 {
			return errMerged(p)
		}
		next, fields, err := s.changed(p, c)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			if err := tx.UpdatePatient(next); err != nil {
				return err
			}
		}
		out = next
		return tx.LogAccess(s.accessEntries(a, "update_patient", changeDetail(fields), p.ID))
	})
	if err != nil {
		return nil, err
	}
	out.Volumes, err = s.Store.FindVolumesOfPatient(ctx, out.ID)
	return out, err
}

// changeDetail is what the access log says a change changed: the fields'
// names, never their values.
func changeDetail(fields []string) string {
	if len(fields) == 0 {
		return "no change"
	}
	return strings.Join(fields, ", ")
}

// accessEntries are the access-log entries of one action on patients.
func (s *Service) accessEntries(a Actor, action, detail string, patientIDs ...int64) []Access {
	at := s.now()
	out := make([]Access, 0, len(patientIDs))
	for _, id := range patientIDs {
		out = append(out, Access{At: at, Actor: a.Name, ActorKind: a.KindOf(), Role: a.Role, Action: action,
			PatientID: id, Detail: detail})
	}
	return out
}

// FindPatient returns the patient a hospital number names, the survivor of
// a merged record, with its volumes; the read is written to the access log.
func (s *Service) FindPatient(ctx context.Context, a Actor, hospitalNumber string) (*Patient, error) {
	p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(hospitalNumber))
	if err != nil {
		return nil, err
	}
	if p.Volumes, err = s.Store.FindVolumesOfPatient(ctx, p.ID); err != nil {
		return nil, err
	}
	if err := s.maskVolumes(ctx, a, p.Volumes); err != nil {
		return nil, err
	}
	return p, s.audit(ctx, a, "view_patient", "", p.ID)
}
