package hl7

// Merge is an ADT A40: two records of one person, the duplicate to be
// merged into the survivor.
type Merge struct {
	// Survivor is the patient PID names, created from it if casetrack does
	// not hold them yet.
	Survivor Patient
	// DuplicateHospitalNumber is from MRG-1, picked by the same rules as
	// the survivor's from PID-3.
	DuplicateHospitalNumber string
}

// merge reads an A40's PID and MRG. Where an A40 carries several patient
// groups, the first is read.
func (dec Decoder) merge(m *Message) (Merge, error) {
	survivor, err := dec.patient(m)
	if err != nil {
		return Merge{}, err
	}
	mrg, err := segment(m, "MRG")
	if err != nil {
		return Merge{}, err
	}
	dup, err := dec.hospitalNumber(mrg, 1)
	if err != nil {
		return Merge{}, err
	}
	return Merge{Survivor: survivor, DuplicateHospitalNumber: dup}, nil
}
