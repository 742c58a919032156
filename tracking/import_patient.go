package tracking

import (
	"context"
	"time"
)

// PatientLine is one patient of a patients file, tidied and checked by
// the patient rules (Patient.Normalize and Validate). An empty cell is an
// empty field or a nil date.
type PatientLine struct {
	Line    int
	Patient Patient
}

// PatientBatch is a run of lines of a patients file on its way to the
// store, which reads the patients they name, has Decide say what to do
// with each line, and writes New and Changed.
type PatientBatch struct {
	Lines  []PatientLine
	DryRun bool
	// New are the patients to create, with no volume; Changed the stored
	// patients with their new details. Both are set by Decide.
	New, Changed []*Patient
	Counts       ImportCounts

	s   *Service
	now time.Time
}

// HospitalNumbers are the hospital numbers whose stored patients Decide needs.
func (b *PatientBatch) HospitalNumbers() []string {
	return keysOf(b.Lines, func(l *PatientLine) string { return l.Patient.HospitalNumber })
}

// NHSNumbers are the NHS numbers whose stored patients Decide needs.
func (b *PatientBatch) NHSNumbers() []string {
	return keysOf(b.Lines, func(l *PatientLine) string { return l.Patient.NHSNumber })
}

// Decide says what each line does, given every stored patient (merged or
// not) that has one of the batch's hospital or NHS numbers.
func (b *PatientBatch) Decide(found []*Patient) {
	byHN := make(map[string]*Patient, len(found))
	byNHS := make(map[string]*Patient, len(found))
	for _, p := range found {
		byHN[p.HospitalNumber] = p
		if p.NHSNumber != "" {
			byNHS[p.NHSNumber] = p
		}
	}
	b.New, b.Changed, b.Counts = b.New[:0], b.Changed[:0], ImportCounts{}
	for i := range b.Lines {
		l := &b.Lines[i].Patient
		o, p, err := b.s.importPatient(l, byHN[l.HospitalNumber], byNHS[l.NHSNumber], b.now)
		b.Counts.add(o, b.Lines[i].Line, err)
		switch {
		case err != nil:
		case o == lineNew:
			b.New = append(b.New, p)
		case o == lineUpdated:
			b.Changed = append(b.Changed, p)
		}
	}
}

// importPatient decides one line: a new patient; or the stored one (by
// hospital number) with the line's details, where an empty cell keeps what
// is stored. An NHS number or date of birth that differs from a stored one
// is refused, never overwritten: the file may have the wrong person on
// that line (SAFETY.md H15), and whoever can tell corrects it on the
// patient's page.
func (s *Service) importPatient(l *Patient, stored, byNHS *Patient, now time.Time) (lineOutcome, *Patient, error) {
	switch {
	case byNHS != nil && (stored == nil || byNHS.ID != stored.ID):
		return 0, nil, FieldError("nhs_number", "NHS number %s is already another patient's in casetrack.", FormatNHSNumber(l.NHSNumber))
	case stored == nil:
		p := *l
		p.Normalize()
		p.CreatedAt = now
		return lineNew, &p, p.Validate(s.today())
	case stored.MergedIntoID != 0:
		return 0, nil, FieldError("hospital_number", "Patient %s has been merged into another record; its details are kept there.", l.HospitalNumber)
	case l.NHSNumber != "" && stored.NHSNumber != "" && l.NHSNumber != stored.NHSNumber:
		return 0, nil, FieldError("nhs_number", "This NHS number differs from the one casetrack holds for %s: not changed. If the file is right, correct it on the patient's page.", l.HospitalNumber)
	case l.BirthDate != nil && stored.BirthDate != nil && !l.BirthDate.Equal(stored.BirthDate.Time):
		return 0, nil, FieldError("birth_date", "This date of birth differs from the one casetrack holds for %s: not changed. If the file is right, correct it on the patient's page.", l.HospitalNumber)
	}
	next, fields, err := s.changed(stored, importedChange(l))
	switch {
	case err != nil:
		return 0, nil, err
	case len(fields) == 0:
		return lineUnchanged, nil, nil
	}
	return lineUpdated, next, nil
}

// importedChange is what a line changes: every value it gives; an empty
// cell keeps what is stored.
func importedChange(l *Patient) PatientChange {
	c := PatientChange{FamilyName: SetTo(l.FamilyName)}
	if l.NHSNumber != "" {
		c.NHSNumber = SetTo(l.NHSNumber)
	}
	if l.GivenName != "" {
		c.GivenName = SetTo(l.GivenName)
	}
	if l.BirthDate != nil {
		c.BirthDate = SetTo(*l.BirthDate)
	}
	if l.DeathDate != nil {
		c.DeathDate = SetTo(*l.DeathDate)
	}
	return c
}

// Patients imports a batch of lines of a patients file. A patient created
// by an import has no volume until the library makes one or a volumes
// file names it.
func (im *Import) Patients(ctx context.Context, lines []PatientLine) (ImportCounts, error) {
	return write(ctx, lines, func(l PatientLine) int { return l.Line }, func(ls []PatientLine) (ImportCounts, error) {
		b := &PatientBatch{Lines: ls, DryRun: im.dryRun, s: im.s, now: im.s.now()}
		err := im.s.Store.ImportPatients(ctx, b)
		return b.Counts, err
	})
}
