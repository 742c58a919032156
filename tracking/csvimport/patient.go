package csvimport

import (
	"fmt"
	"io"
	"strconv"

	"github.com/casetrack/casetrack/tracking"
)

// PatientRow is one patient of a patients file, tidied and checked by
// tracking's rules (Patient.Normalize and Validate, the NHS number's
// check digit among them). An empty cell is an empty field or a nil date.
type PatientRow = tracking.PatientLine

// NewPatientReader reads a patients file
// (hospital_number,nhs_number,family_name,given_name,birth_date,death_date).
// A hospital number or an NHS number already on an earlier line of the
// file refuses the later line.
func NewPatientReader(r io.Reader, o Options) (*Reader[PatientRow], error) {
	ps := &patients{today: o.today(), hospital: firstLines[hospitalKey]{}, nhs: firstLines[uint64]{}}
	return newReader[PatientRow](r, Patients, ps)
}

type patients struct {
	today    tracking.Date
	hospital firstLines[hospitalKey]
	nhs      firstLines[uint64]
}

func (ps *patients) expect(n int) {
	ps.hospital, ps.nhs = ps.hospital.sized(n), ps.nhs.sized(n*len(ps.nhs)/max(len(ps.hospital), 1))
}

func (ps *patients) row(line int, v []string) (PatientRow, *LineError) {
	p, err := ps.patient(v)
	if err != nil {
		return PatientRow{}, lineError(line, err)
	}
	if lerr := ps.unique(line, &p); lerr != nil {
		return PatientRow{}, lerr
	}
	return PatientRow{Line: line, Patient: p}, nil
}

func (ps *patients) patient(v []string) (tracking.Patient, error) {
	p := tracking.Patient{HospitalNumber: v[0], NHSNumber: v[1], FamilyName: v[2], GivenName: v[3]}
	var err error
	if p.BirthDate, err = optionalDate("birth_date", "Date of birth", v[4]); err != nil {
		return p, err
	}
	if p.DeathDate, err = optionalDate("death_date", "Date of death", v[5]); err != nil {
		return p, err
	}
	p.Normalize()
	return p, p.Validate(ps.today)
}

// unique refuses a patient whose hospital or NHS number an earlier line
// of the file has, and otherwise remembers both.
func (ps *patients) unique(line int, p *tracking.Patient) *LineError {
	hn := packHospitalNumber(p.HospitalNumber)
	if first, ok := ps.hospital[hn]; ok {
		return &LineError{Line: line, Field: "hospital_number",
			Message: fmt.Sprintf("Hospital number %s is already on line %d.", p.HospitalNumber, first)}
	}
	nhs, err := strconv.ParseUint(p.NHSNumber, 10, 64)
	if err == nil {
		if first, ok := ps.nhs[nhs]; ok {
			return &LineError{Line: line, Field: "nhs_number",
				Message: fmt.Sprintf("NHS number %s is already on line %d.", tracking.FormatNHSNumber(p.NHSNumber), first)}
		}
		ps.nhs[nhs] = line
	}
	ps.hospital[hn] = line
	return nil
}
