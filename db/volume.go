package db

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// volumeColumns are what a volume is read with: its patient, its locations
// and how many volumes the patient has, in one query, as it is on every
// scan's path.
const volumeColumns = `SELECT v.id, v.patient_id, v.number, v.barcode, v.legacy_barcode, v.status,
	v.home_location_id, v.current_location_id, v.current_since, v.last_scanned_at, v.created_at, v.requested, v.relabel_merge_id,
	(SELECT COUNT(*) FROM volumes v2 WHERE v2.patient_id = v.patient_id) AS volume_count,
	p.hospital_number, p.nhs_number, p.family_name, p.given_name, p.birth_date, p.death_date,
	h.code AS home_code, h.name AS home_name, h.kind AS home_kind, h.barcode AS home_barcode,
	c.code AS cur_code, c.name AS cur_name, c.kind AS cur_kind, c.barcode AS cur_barcode `

// volumeJoins fetch the patient and the two locations of each volume found.
// On PostgreSQL each is a lateral look-up by primary key behind OFFSET 0,
// which the planner cannot flatten into a hash join: pgx keeps a statement's
// plan for the life of its connection, and a plan made while the tables were
// new and unanalysed (a fresh install, a bulk import) would otherwise scan
// every patient on every scan until the connection closed.
var volumeJoins = map[string]string{
	Postgres: `JOIN LATERAL (SELECT * FROM patients p WHERE p.id = v.patient_id OFFSET 0) p ON true
	JOIN LATERAL (SELECT * FROM locations h WHERE h.id = v.home_location_id OFFSET 0) h ON true
	JOIN LATERAL (SELECT * FROM locations c WHERE c.id = v.current_location_id OFFSET 0) c ON true `,
	SQLite: `JOIN patients p ON p.id = v.patient_id
	JOIN locations h ON h.id = v.home_location_id
	JOIN locations c ON c.id = v.current_location_id `,
}

type volumeView struct {
	ID                int64
	PatientID         int64
	Number            int
	Barcode           *string
	LegacyBarcode     *string
	Status            string
	HomeLocationID    int64
	CurrentLocationID int64
	CurrentSince      time.Time
	LastScannedAt     *time.Time
	CreatedAt         time.Time
	Requested         bool
	RelabelMergeID    *int64
	VolumeCount       int
	HospitalNumber    string
	NHSNumber         *string `gorm:"column:nhs_number"`
	FamilyName        string
	GivenName         string
	BirthDate         *time.Time
	DeathDate         *time.Time
	HomeCode          string
	HomeName          string
	HomeKind          string
	HomeBarcode       *string
	CurCode           string
	CurName           string
	CurKind           string
	CurBarcode        *string
}

func (r *volumeView) volume() *tracking.Volume {
	v := &tracking.Volume{ID: r.ID, PatientID: r.PatientID, Number: r.Number, Barcode: deref(r.Barcode),
		LegacyCode: deref(r.LegacyBarcode), Status: tracking.VolumeStatus(r.Status), HomeID: r.HomeLocationID,
		CurrentID: r.CurrentLocationID, Since: tracking.TimestampOf(r.CurrentSince),
		LastScanAt: utc(r.LastScannedAt), CreatedAt: r.CreatedAt, Requested: r.Requested,
		RelabelMerge: derefID(r.RelabelMergeID)}
	v.Count = r.VolumeCount
	v.Patient = &tracking.Patient{ID: r.PatientID, HospitalNumber: r.HospitalNumber, NHSNumber: deref(r.NHSNumber),
		FamilyName: r.FamilyName, GivenName: r.GivenName, BirthDate: date(r.BirthDate), DeathDate: date(r.DeathDate)}
	v.Home = &tracking.Location{ID: r.HomeLocationID, Code: r.HomeCode, Name: r.HomeName,
		Kind: tracking.LocationKind(r.HomeKind), Barcode: deref(r.HomeBarcode)}
	v.Current = &tracking.Location{ID: r.CurrentLocationID, Code: r.CurCode, Name: r.CurName,
		Kind: tracking.LocationKind(r.CurKind), Barcode: deref(r.CurBarcode)}
	return v
}

func date(t *time.Time) *tracking.Date {
	if t == nil {
		return nil
	}
	d := tracking.DateOf(*t)
	return &d
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (db *DB) findVolumes(ctx context.Context, where string, args ...any) ([]*tracking.Volume, error) {
	return db.findVolumesFrom(ctx, "FROM volumes v ", where, args...)
}

// findVolumesFrom is findVolumes reading the volumes from the given source,
// which must be named v and have the volumes table's columns.
func (db *DB) findVolumesFrom(ctx context.Context, from, where string, args ...any) ([]*tracking.Volume, error) {
	// Straight to the connection pool: gorm's statement building cost a
	// tenth of a single scan's time here, and this query is on every scan.
	rows, err := db.gorm.Statement.ConnPool.QueryContext(ctx, db.rebind(volumeColumns+from+volumeJoins[db.dialect]+where), args...)
	if err != nil {
		return nil, translate(err, "volume")
	}
	defer rows.Close()
	var out []*tracking.Volume
	for rows.Next() {
		var r volumeView
		if err := rows.Scan(r.fields()...); err != nil {
			return nil, translate(err, "volume")
		}
		out = append(out, r.volume())
	}
	return out, translate(rows.Err(), "volume")
}

// fields lists where each of volumeColumns goes, in order. Rows
// are scanned by hand: a scan reads up to a thousand volumes at a time, and
// gorm's reflection over 28 columns cost more than the query.
func (r *volumeView) fields() []any {
	return []any{&r.ID, &r.PatientID, &r.Number, &r.Barcode, &r.LegacyBarcode, &r.Status, &r.HomeLocationID,
		&r.CurrentLocationID, &r.CurrentSince, &r.LastScannedAt, &r.CreatedAt, &r.Requested, &r.RelabelMergeID, &r.VolumeCount,
		&r.HospitalNumber, &r.NHSNumber, &r.FamilyName, &r.GivenName, &r.BirthDate, &r.DeathDate,
		&r.HomeCode, &r.HomeName, &r.HomeKind, &r.HomeBarcode, &r.CurCode, &r.CurName, &r.CurKind, &r.CurBarcode}
}

// FindVolumeByBarcode matches a generated barcode in any case, or a legacy
// barcode exactly as it was stored.
func (db *DB) FindVolumeByBarcode(ctx context.Context, barcode string) (*tracking.Volume, error) {
	vs, err := db.findVolumes(ctx, "WHERE v.barcode = ? OR v.legacy_barcode = ?", strings.ToUpper(barcode), barcode)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No volume has the barcode %q.", barcode)
	}
	return vs[0], nil
}

// FindVolumesAt lists the volumes now at a location, by patient.
func (db *DB) FindVolumesAt(ctx context.Context, locationID int64) ([]*tracking.Volume, error) {
	return db.findVolumes(ctx, "WHERE v.current_location_id = ? ORDER BY p.family_name, p.given_name, v.number, v.id", locationID)
}

// FindVolumesOfPatient lists a patient's volumes by number.
func (db *DB) FindVolumesOfPatient(ctx context.Context, patientID int64) ([]*tracking.Volume, error) {
	return db.findVolumes(ctx, "WHERE v.patient_id = ? ORDER BY v.number", patientID)
}

// CreateVolume adds the patient's next volume.
func (db *DB) CreateVolume(ctx context.Context, v *tracking.Volume) error {
	err := db.tx(ctx, func(tx *gorm.DB) error { return addVolume(tx, v) })
	return translate(err, "volume with this legacy barcode")
}

// addVolume stores v as the patient's next volume. The patient row is
// locked so two clerks adding a volume at once get numbers n and n+1.
func addVolume(tx *gorm.DB, v *tracking.Volume) error {
	var locked []int64
	if err := tx.Table("patients").Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ?", v.PatientID).Pluck("id", &locked).Error; err != nil {
		return err
	}
	if len(locked) == 0 {
		return tracking.Errorf(tracking.ENOTFOUND, "No such patient.")
	}
	var last int
	if err := scan(tx.Raw("SELECT COALESCE(MAX(number), 0) FROM volumes WHERE patient_id = ?", v.PatientID), &last); err != nil {
		return err
	}
	v.Number = last + 1
	return insertVolume(tx, v)
}

// insertVolume stores v and gives it its generated barcode (from its id),
// unless it came with a barcode of its own from a legacy system.
func insertVolume(tx *gorm.DB, v *tracking.Volume) error {
	err := scan(tx.Raw(`INSERT INTO volumes (patient_id, number, legacy_barcode, status, home_location_id,
		current_location_id, current_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		v.PatientID, v.Number, nullable(v.LegacyCode), string(v.Status), v.HomeID, v.CurrentID,
		v.Since.UTC(), v.CreatedAt.UTC()), &v.ID)
	if err != nil {
		return err
	}
	v.Barcode = tracking.VolumeBarcode(v.ID)
	return tx.Exec("UPDATE volumes SET barcode = ? WHERE id = ?", v.Barcode, v.ID).Error
}

// FindVolumesByBarcodes finds the volumes named by any of the values, as
// generated barcodes (in any case) or legacy barcodes. The values are read
// a few hundred to a query, several queries at once: a batch waits on this
// before anything else can start, and one query leaves a core idle.
func (db *DB) FindVolumesByBarcodes(ctx context.Context, values []string) ([]*tracking.Volume, error) {
	const perQuery, atOnce = 250, 4
	parts := slices.Collect(slices.Chunk(values, perQuery))
	found := make([][]*tracking.Volume, len(parts))
	errs := make([]error, len(parts))
	slots := make(chan struct{}, atOnce)
	var wg sync.WaitGroup
	for i, part := range parts {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			found[i], errs[i] = db.findVolumesByValues(ctx, part)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(found...), nil
}

// volumesByCodes is, on PostgreSQL, the volumes whose barcode is in the
// first array or whose legacy barcode is in the second, found one index
// look-up per value. Filtering the table with "= ANY(array)" instead is
// fine while the planner has statistics, but a plan cached before it has
// any compares every row with every value: seconds a batch on a hospital's
// half a million volumes.
const volumesByCodes = `FROM (
	SELECT x.* FROM unnest(?::text[]) AS k(code) CROSS JOIN LATERAL
		(SELECT * FROM volumes WHERE barcode = k.code OFFSET 0) x
	UNION ALL
	SELECT y.* FROM unnest(?::text[]) AS k(code) CROSS JOIN LATERAL
		(SELECT * FROM volumes WHERE legacy_barcode = k.code OFFSET 0) y) v `

func (db *DB) findVolumesByValues(ctx context.Context, values []string) ([]*tracking.Volume, error) {
	upper := make([]string, len(values))
	for i, v := range values {
		upper[i] = strings.ToUpper(v)
	}
	if db.dialect == Postgres {
		return db.findVolumesFrom(ctx, volumesByCodes, "", textArray(upper), textArray(values))
	}
	byBarcode, a1 := inList(db.dialect, "v.barcode", upper)
	byLegacy, a2 := inList(db.dialect, "v.legacy_barcode", values)
	return db.findVolumes(ctx, "WHERE "+byBarcode+" OR "+byLegacy, a1, a2)
}
