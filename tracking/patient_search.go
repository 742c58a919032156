package tracking

import (
	"context"
	"strings"
)

// NameQuery is a search box's text as the patient search reads it: a part
// of a family name, given name or hospital number, and also the ways a
// person types a whole name ("Smith, Dafydd", "Dafydd Smith", "smith d").
// Case and accents are the store's to fold.
type NameQuery struct {
	// Part is matched anywhere in the family name, the given name or the
	// hospital number.
	Part string
	// Names are the readings of the text as a whole name. A patient matches
	// one when their family name equals its Family and their given name
	// starts with its Given; equal given names too make an exact match,
	// listed before the rest.
	Names []NameReading
}

// NameReading is one way of reading a search as a person's name.
type NameReading struct {
	Family, Given string
}

// maxNameWords bounds the words read as a whole name: each gap between
// words is two readings, and nobody types a name of more than six words.
const maxNameWords = 6

// ParseNameQuery reads what was typed into the search box. One word is a
// family name (or a part of any name); "Family, Given" has the given name
// as a prefix; two or more words are read at every gap both ways, as
// "Given Family" and as "Family G…", so "Dafydd Smith", "smith d" and
// "Mary Ann Smith" all find their patient. Runs of spaces count as one.
func ParseNameQuery(q string) NameQuery {
	text := strings.Join(strings.Fields(q), " ")
	if text == "" {
		return NameQuery{}
	}
	nq := NameQuery{Part: text}
	if family, given, ok := strings.Cut(text, ","); ok {
		family, given = strings.TrimSpace(family), strings.TrimSpace(given)
		if family != "" {
			nq.Names = []NameReading{{Family: family, Given: given}}
		}
		return nq
	}
	words := strings.Fields(text)
	if len(words) == 1 {
		nq.Names = []NameReading{{Family: text}}
		return nq
	}
	if len(words) > maxNameWords {
		return nq
	}
	for i := 1; i < len(words); i++ {
		first, rest := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		nq.Names = append(nq.Names, NameReading{Family: rest, Given: first}, NameReading{Family: first, Given: rest})
	}
	return nq
}

// PatientSearch is what a search found: a page of patients, how many
// match in all, and which of those found share a name with another
// patient (flagged as their labels are, so nobody takes one for the other).
type PatientSearch struct {
	Patients []*Patient
	// Total counts every match; it is more than len(Patients) when the
	// search stopped at its limit.
	Total    int
	SameName map[int64]bool
}

// More reports whether the search stopped before listing every match.
func (r *PatientSearch) More() bool { return r.Total > len(r.Patients) }

// SearchPatients is FindPatients for people reading the answer: it also
// counts every match when the limit cut the list short, and flags the
// patients who share their family and given name with someone else.
func (s *Service) SearchPatients(ctx context.Context, a Actor, f PatientFilter) (*PatientSearch, error) {
	if err := f.normalize(); err != nil {
		return nil, err
	}
	ps, err := s.FindPatients(ctx, a, f)
	if err != nil {
		return nil, err
	}
	r := &PatientSearch{Patients: ps, Total: len(ps)}
	if len(ps) >= f.Limit {
		if r.Total, err = s.Store.CountPatients(ctx, f); err != nil {
			return nil, err
		}
	}
	r.SameName, err = s.SameNamePatients(ctx, patientIDsOf(ps))
	return r, err
}

func patientIDsOf(ps []*Patient) []int64 {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// SameNamePatients reports which of the patients share their family and
// given name with another patient, for pages that show patients found
// another way (a folder's barcode).
func (s *Service) SameNamePatients(ctx context.Context, ids []int64) (map[int64]bool, error) {
	return s.Store.SameNamePatients(ctx, ids)
}
