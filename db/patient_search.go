package db

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CountPatients counts the patients FindPatients finds, without its limit,
// so a page can say "the first 50 of 212".
func (db *DB) CountPatients(ctx context.Context, f tracking.PatientFilter) (int, error) {
	var n int64
	err := db.patientsMatching(ctx, f).Count(&n).Error
	return int(n), translate(err, "patient")
}

// patientsMatching is the query of the patients a filter finds.
func (db *DB) patientsMatching(ctx context.Context, f tracking.PatientFilter) *gorm.DB {
	q := db.gorm.WithContext(ctx).Model(&patientRow{})
	switch {
	case f.NHSNumber != "":
		return q.Where(fmt.Sprintf(survivorOf, "nhs_number"), f.NHSNumber)
	case f.HospitalNumber != "":
		return q.Where(fmt.Sprintf(survivorOf, "hospital_number"), f.HospitalNumber)
	}
	// A merged record is found by its numbers (as its survivor), never by
	// name: its survivor is listed instead.
	return q.Where(db.nameMatch(tracking.ParseNameQuery(f.Query))).Where("merged_into_id IS NULL")
}

// nameMatch is the condition of a name search: the part anywhere in a
// folded name or the hospital number, or any whole-name reading (an equal
// family name and a given name starting with the reading's). The readings
// are look-ups in patients_same_name, and a part of three letters or more
// one in the trigram index. A shorter part has no trigram to look up, so
// it is sought row by row, in SQL of its own: PostgreSQL keeps one plan
// per statement text, and a plan made for "smith" would read the whole
// trigram index for "sm".
func (db *DB) nameMatch(nq tracking.NameQuery) clause.Expr {
	part := fold(nq.Part)
	var sql strings.Builder
	var args []any
	switch {
	case utf8.RuneCountInString(part) < 3:
		find := map[string]string{Postgres: "strpos", SQLite: "instr"}[db.dialect]
		// Hospital numbers are stored in capitals: upper-casing the part
		// once spares lower-casing every row's.
		fmt.Fprintf(&sql, "%[1]s(family_fold, ?) > 0 OR %[1]s(given_fold, ?) > 0 OR %[1]s(hospital_number, ?) > 0", find)
		args = append(args, part, part, strings.ToUpper(part))
	case db.dialect == SQLite:
		sql.WriteString("id IN (SELECT rowid FROM patient_search WHERE patient_search MATCH ?)")
		args = append(args, `"`+strings.ReplaceAll(part, `"`, `""`)+`"`)
	default:
		like := "%" + escapeLike(part) + "%"
		sql.WriteString(`family_fold LIKE ? ESCAPE '\' OR given_fold LIKE ? ESCAPE '\' OR lower(hospital_number) LIKE ? ESCAPE '\'`)
		args = append(args, like, like, like)
	}
	for _, r := range nq.Names {
		sql.WriteString(" OR " + readingMatch)
		args = append(args, readingArgs(r)...)
	}
	return clause.Expr{SQL: "(" + sql.String() + ")", Vars: args}
}

// readingMatch is a whole-name reading as SQL, with readingArgs: an equal
// family name and a given name that starts with the reading's.
const readingMatch = `(family_fold = ? AND given_fold LIKE ? ESCAPE '\')`

func readingArgs(r tracking.NameReading) []any {
	return []any{fold(r.Family), escapeLike(fold(r.Given)) + "%"}
}

// patientOrder lists a search's patients by name, folded so that case
// and accents sort alike on every database. A name search puts
// exact whole names first (the family and given names both equal a
// reading's), then the other whole-name matches, then those that only
// hold the text somewhere.
func patientOrder(f tracking.PatientFilter) clause.OrderBy {
	const byName = "family_fold, given_fold, id"
	nq := tracking.ParseNameQuery(f.Query)
	if f.NHSNumber != "" || f.HospitalNumber != "" || len(nq.Names) == 0 {
		return clause.OrderBy{Expression: clause.Expr{SQL: byName}}
	}
	exact, prefix := make([]string, len(nq.Names)), make([]string, len(nq.Names))
	var exactArgs, prefixArgs []any
	for i, r := range nq.Names {
		exact[i], prefix[i] = "(family_fold = ? AND given_fold = ?)", readingMatch
		exactArgs = append(exactArgs, fold(r.Family), fold(r.Given))
		prefixArgs = append(prefixArgs, readingArgs(r)...)
	}
	sql := "CASE WHEN " + strings.Join(exact, " OR ") + " THEN 0 WHEN " + strings.Join(prefix, " OR ") + " THEN 1 ELSE 2 END, " + byName
	return clause.OrderBy{Expression: clause.Expr{SQL: sql, Vars: append(exactArgs, prefixArgs...), WithoutParentheses: true}}
}

// FindPatientsNamed finds patients whose folded family and given names
// equal these, each with its volumes: the namesakes a registration is
// warned of.
func (db *DB) FindPatientsNamed(ctx context.Context, family, given string, limit int) ([]*tracking.Patient, error) {
	var rows []patientRow
	err := db.gorm.WithContext(ctx).Where("family_fold = ? AND given_fold = ?", fold(family), fold(given)).
		Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "patient")
	}
	return db.withVolumes(ctx, rows)
}
