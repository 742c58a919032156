package tracking

import (
	"context"
	"time"
)

// maxNamesakes bounds the patients of the same name a registration shows:
// enough to tell one from another, few enough to read.
const maxNamesakes = 20

// RegisterPatient registers a patient with volume 1, as the library does
// at the desk. A hospital or NHS number already registered is refused on
// its field before anything is written. When other patients have the same
// family and given name and the person has not yet seen them
// (namesakesSeen), nothing is registered and they are returned instead, so
// the page can ask whether this really is someone new: the commonest way
// to a duplicate registration, and to notes filed in another person's
// folder. The patients returned are written to the access log.
func (s *Service) RegisterPatient(ctx context.Context, a Actor, p *Patient, in VolumeInput, namesakesSeen bool) ([]*Patient, error) {
	p.Normalize()
	if err := p.Validate(s.today()); err != nil {
		return nil, err
	}
	if err := s.checkNewNumbers(ctx, p); err != nil {
		return nil, err
	}
	if !namesakesSeen {
		same, err := s.Store.FindPatientsNamed(ctx, p.FamilyName, p.GivenName, maxNamesakes)
		if err != nil {
			return nil, err
		}
		if len(same) > 0 {
			return same, s.audit(ctx, a, "search_patients", "", patientIDsOf(same)...)
		}
	}
	return nil, s.CreatePatientWith(ctx, a, p, in)
}

// checkNewNumbers refuses a hospital or NHS number that another patient
// already has, naming the field, so the person can look that patient up
// instead of registering them twice.
func (s *Service) checkNewNumbers(ctx context.Context, p *Patient) error {
	_, err := s.Store.FindPatientByHospitalNumber(ctx, p.HospitalNumber)
	switch ErrorCode(err) {
	case "":
		return FieldError("hospital_number", "Hospital number %s is already registered: find the patient under Find notes, and add a volume there if they need one.", p.HospitalNumber)
	case ENOTFOUND:
	default:
		return err
	}
	if p.NHSNumber == "" {
		return nil
	}
	ps, err := s.Store.FindPatients(ctx, PatientFilter{NHSNumber: p.NHSNumber, Limit: 1})
	if err != nil || len(ps) == 0 {
		return err
	}
	return FieldError("nhs_number", "NHS number %s is already registered, to the patient with hospital number %s: find them under Find notes.",
		FormatNHSNumber(p.NHSNumber), ps[0].HospitalNumber)
}

// NextVolumeNumber is the number a patient's next volume will have, one
// more than the highest they hold, so a page can say "Vol 3 of 3" before
// it is made.
func NextVolumeNumber(vols []*Volume) int {
	next := 1
	for _, v := range vols {
		next = max(next, v.Number+1)
	}
	return next
}

// MaxRegistrationsListed bounds a list of the day's new registrations: a
// busy library registers a few hundred folders a day.
const MaxRegistrationsListed = 500

// RegisteredSince lists the volumes made since the time, oldest first,
// each with its patient, at most MaxRegistrationsListed of them: the
// day's new registrations, whose labels are printed together. The patients
// are written to the access log.
func (s *Service) RegisteredSince(ctx context.Context, a Actor, since time.Time) ([]*Volume, error) {
	vols, err := s.Store.FindVolumesCreatedSince(ctx, since, MaxRegistrationsListed)
	if err != nil {
		return nil, err
	}
	return vols, s.audit(ctx, a, "list_registrations", "", patientIDs(vols)...)
}
