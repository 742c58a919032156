package db

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Merge writes a planned merge: the duplicate's volumes given to the
// survivor with their new numbers, the duplicate (and any record merged
// into it before) pointed at the survivor, the NHS number moved when the
// plan says, its appointments moved to the survivor, the merge's record
// with the volumes to relabel, and then
// the duplicate's open requests moved to the survivor and settled again
// (their news sent once the transaction commits).
func (t *patientTx) Merge(m *tracking.MergePlan) error {
	dup, surv := m.Duplicate.ID, m.Survivor.ID
	steps := []statement{
		{"UPDATE patients SET merged_into_id = ? WHERE merged_into_id = ?", []any{surv, dup}},
		{"UPDATE patients SET merged_into_id = ?, merged_at = ? WHERE id = ?", []any{surv, m.At.UTC(), dup}},
	}
	if m.TakeNHSNumber {
		steps = append(steps, statement{"UPDATE patients SET nhs_number = NULL WHERE id = ?", []any{dup}},
			statement{"UPDATE patients SET nhs_number = ? WHERE id = ?", []any{m.Duplicate.NHSNumber, surv}})
	}
	for _, mv := range m.Moves {
		steps = append(steps, statement{"UPDATE volumes SET patient_id = ?, number = ? WHERE id = ?", []any{surv, mv.To, mv.Volume.ID}})
	}
	// The duplicate's clinic appointments are the survivor's now: the PAS
	// moving one later must find the request that followed them, not
	// take it for another patient's and replace it.
	steps = append(steps, statement{"UPDATE appointments SET patient_id = ? WHERE patient_id = ?", []any{surv, dup}})
	for _, s := range steps {
		if err := t.run.exec(s.sql, s.args...); err != nil {
			return err
		}
	}
	if err := t.recordMerge(m); err != nil {
		return err
	}
	news, err := t.db.mergeRequests(t.run, dup, surv, m.By.Name, m.At)
	t.news = append(t.news, news...)
	return err
}

// condition is one part of a WHERE clause, used when on.
type condition struct {
	on  bool
	sql string
	arg any // nil when the part takes none
}

// conditions joins the conditions that are on with AND.
func conditions(cs ...condition) (string, []any) {
	var parts []string
	var args []any
	for _, c := range cs {
		if c.on {
			parts = append(parts, c.sql)
			if c.arg != nil {
				args = append(args, c.arg)
			}
		}
	}
	return strings.Join(parts, " AND "), args
}

// statement is one SQL statement with its arguments.
type statement struct {
	sql  string
	args []any
}

// recordMerge stores the merge's record and its volumes to relabel.
func (t *patientTx) recordMerge(m *tracking.MergePlan) error {
	was, err := json.Marshal(m.Duplicate)
	if err != nil {
		return err
	}
	_, err = queryOne(t.run, `INSERT INTO patient_merges (duplicate_id, survivor_id, merged_at, merged_by, role, channel, duplicate_was)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{&m.ID}, m.Duplicate.ID, m.Survivor.ID, m.At.UTC(), m.By.Name,
		string(m.By.Role), m.Channel, string(was))
	if err != nil {
		return err
	}
	for _, mv := range m.Moves {
		if err := t.relabel(m.ID, mv.Volume.ID, mv.From, mv.To, true); err != nil {
			return err
		}
	}
	for _, v := range m.Kept {
		if err := t.relabel(m.ID, v.ID, v.Number, v.Number, false); err != nil {
			return err
		}
	}
	return nil
}

func (t *patientTx) relabel(mergeID, volumeID int64, from, to int, moved bool) error {
	return t.run.exec("INSERT INTO merge_volumes (merge_id, volume_id, old_number, new_number, moved) VALUES (?, ?, ?, ?, ?)",
		mergeID, volumeID, from, to, moved)
}

type mergeRow struct {
	ID           int64
	DuplicateID  int64
	SurvivorID   int64
	MergedAt     time.Time
	MergedBy     string
	Role         string
	Channel      string
	DuplicateWas string
	DoneAt       *time.Time
	DoneBy       string
}

// FindMerges returns merges newest first, with their survivors as they are
// now and the volumes to relabel.
func (db *DB) FindMerges(ctx context.Context, f tracking.MergeFilter) ([]*tracking.Merge, error) {
	where, args := conditions(
		condition{f.ID != 0, "id = ?", f.ID},
		condition{f.PatientID != 0, "survivor_id = ?", f.PatientID},
		condition{f.Open, "done_at IS NULL", nil})
	q := "SELECT * FROM patient_merges"
	if where != "" {
		q += " WHERE " + where
	}
	var rows []mergeRow
	if err := scan(db.gorm.WithContext(ctx).Raw(q+" ORDER BY id DESC LIMIT ?", append(args, f.Limit)...), &rows); err != nil {
		return nil, translate(err, "merge")
	}
	return db.merges(ctx, rows)
}

// merges fills in the rows' survivors and volumes to relabel.
func (db *DB) merges(ctx context.Context, rows []mergeRow) ([]*tracking.Merge, error) {
	out := make([]*tracking.Merge, len(rows))
	byID := map[int64]*tracking.Merge{}
	ids, survivors := make([]int64, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		m := &tracking.Merge{ID: r.ID, At: r.MergedAt.UTC(), By: r.MergedBy, Role: tracking.Role(r.Role), Channel: r.Channel,
			DoneAt: utc(r.DoneAt), DoneBy: r.DoneBy}
		if err := json.Unmarshal([]byte(r.DuplicateWas), &m.Duplicate); err != nil {
			return nil, err
		}
		out[i], byID[r.ID], ids[i], survivors[i] = m, m, r.ID, r.SurvivorID
	}
	if len(rows) == 0 {
		return out, nil
	}
	if err := db.mergeSurvivors(ctx, out, survivors); err != nil {
		return nil, err
	}
	return out, db.mergeVolumes(ctx, byID, ids)
}

func (db *DB) mergeSurvivors(ctx context.Context, ms []*tracking.Merge, ids []int64) error {
	where, arg := inList(db.dialect, "id", ids)
	var ps []patientRow
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT "+patientColumns+" FROM patients WHERE "+where, arg), &ps); err != nil {
		return translate(err, "patient")
	}
	byID := map[int64]*tracking.Patient{}
	for i := range ps {
		byID[ps[i].ID] = ps[i].patient()
	}
	for i, m := range ms {
		m.Survivor = byID[ids[i]]
	}
	return nil
}

func (db *DB) mergeVolumes(ctx context.Context, byID map[int64]*tracking.Merge, ids []int64) error {
	where, arg := inList(db.dialect, "merge_id", ids)
	var links []struct{ MergeID, VolumeID int64 }
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT merge_id, volume_id FROM merge_volumes WHERE "+where, arg), &links); err != nil {
		return translate(err, "merge")
	}
	if len(links) == 0 {
		return nil
	}
	volumeIDs := make([]int64, len(links))
	for i, l := range links {
		volumeIDs[i] = l.VolumeID
	}
	in, varg := inList(db.dialect, "v.id", volumeIDs)
	vols, err := db.findVolumes(ctx, "WHERE "+in+" ORDER BY v.patient_id, v.number", varg)
	if err != nil {
		return err
	}
	mergesOf := map[int64][]int64{}
	for _, l := range links {
		mergesOf[l.VolumeID] = append(mergesOf[l.VolumeID], l.MergeID)
	}
	for _, v := range vols {
		for _, id := range mergesOf[v.ID] {
			byID[id].Relabel = append(byID[id].Relabel, v)
		}
	}
	return nil
}

// FinishMerge records that a merge's folders were relabelled.
func (db *DB) FinishMerge(ctx context.Context, id int64, by string, at time.Time) error {
	res := db.gorm.WithContext(ctx).Exec("UPDATE patient_merges SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
		at.UTC(), by, id)
	if res.Error != nil {
		return translate(res.Error, "merge")
	}
	if res.RowsAffected == 0 {
		return tracking.Errorf(tracking.ECONFLICT, "That merge is unknown or its folders were marked relabelled already.")
	}
	return nil
}

// CountOpenMerges counts the merges whose folders wait to be relabelled.
func (db *DB) CountOpenMerges(ctx context.Context) (int, error) {
	var n int
	err := db.gorm.Statement.ConnPool.QueryRowContext(ctx, "SELECT COUNT(*) FROM patient_merges WHERE done_at IS NULL").Scan(&n)
	return n, translate(err, "merge")
}
