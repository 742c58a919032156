package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// retentionView is one volume's row of what stands between it and its
// destruction; every part may be absent.
type retentionView struct {
	VolumeID    int64
	RetainUntil *time.Time
	HoldReason  *string
	HoldBy      *string
	HoldAt      *time.Time
	ProposedBy  *string
	ProposedAt  *time.Time
	ProposeNote *string
}

// retentionQuery reads the review date, the legal hold and the
// destruction proposal of volumes. A hold is on a patient's record; one
// placed on a record later merged into the volume's patient still holds
// (merging points every merged record straight at the survivor).
const retentionQuery = `SELECT v.id AS volume_id, r.retain_until,
	h.reason AS hold_reason, h.set_by AS hold_by, h.set_at AS hold_at,
	d.proposed_by, d.proposed_at, d.note AS propose_note
	FROM volumes v
	LEFT JOIN retention_dates r ON r.volume_id = v.id
	LEFT JOIN destruction_proposals d ON d.volume_id = v.id
	LEFT JOIN (SELECT COALESCE(p.merged_into_id, p.id) AS patient_id, lh.reason, lh.set_by, lh.set_at
		FROM legal_holds lh JOIN patients p ON p.id = lh.patient_id) h ON h.patient_id = v.patient_id
	WHERE (r.volume_id IS NOT NULL OR d.volume_id IS NOT NULL OR h.patient_id IS NOT NULL) AND `

// FindRetention reads what stands between each volume and its
// destruction; volumes with nothing have no entry.
func (db *DB) FindRetention(ctx context.Context, ids []int64) (map[int64]*tracking.Retention, error) {
	out := map[int64]*tracking.Retention{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := retentionInto(db.gorm.WithContext(ctx), db.dialect, ids, out); err != nil {
		return nil, translate(err, "volume")
	}
	return out, nil
}

func retentionInto(q *gorm.DB, dialect string, ids []int64, out map[int64]*tracking.Retention) error {
	where, arg := inList(dialect, "v.id", ids)
	var rows []retentionView
	if err := scan(q.Raw(retentionQuery+where+" ORDER BY v.id, h.set_at", arg), &rows); err != nil {
		return err
	}
	for _, r := range rows {
		out[r.VolumeID] = r.retention()
	}
	return nil
}

func (r retentionView) retention() *tracking.Retention {
	var out tracking.Retention
	if r.RetainUntil != nil {
		d := tracking.DateOf(r.RetainUntil.UTC())
		out.RetainUntil = &d
	}
	if r.HoldReason != nil {
		out.Hold = &tracking.Hold{Reason: *r.HoldReason, By: deref(r.HoldBy), At: tracking.TimestampOf(derefTime(r.HoldAt))}
	}
	if r.ProposedBy != nil {
		out.Proposal = &tracking.DestructionProposal{By: *r.ProposedBy, At: tracking.TimestampOf(derefTime(r.ProposedAt)),
			Note: deref(r.ProposeNote)}
	}
	return &out
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// holdsOf is the legal holds on a patient's record: its own, and those
// placed on records merged into it before they were merged.
const holdsOf = "patient_id IN (SELECT id FROM patients WHERE id = ? OR merged_into_id = ?)"

// FindHold reads the legal hold on a patient's record, the latest placed
// when merged records brought several; nil when there is none.
func (db *DB) FindHold(ctx context.Context, patientID int64) (*tracking.Hold, error) {
	var rows []struct {
		Reason, SetBy string
		SetAt         time.Time
	}
	err := scan(db.gorm.WithContext(ctx).Raw("SELECT reason, set_by, set_at FROM legal_holds WHERE "+holdsOf+
		" ORDER BY set_at DESC LIMIT 1", patientID, patientID), &rows)
	if err != nil || len(rows) == 0 {
		return nil, translate(err, "legal hold")
	}
	return &tracking.Hold{Reason: rows[0].Reason, By: rows[0].SetBy, At: tracking.TimestampOf(rows[0].SetAt.UTC())}, nil
}

// SetHold places, replaces or lifts a patient's legal hold, holding the
// patient's row as a status change does, so that a hold and a
// destruction of one of its folders are one after the other. Placing or
// lifting one acts on the holds merged records brought too: the record
// has one hold.
func (db *DB) SetHold(ctx context.Context, patientID int64, h *tracking.Hold) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := db.lockPatient(db.runner(tx), patientID); err != nil {
			return err
		}
		if h == nil {
			res := tx.Exec("DELETE FROM legal_holds WHERE "+holdsOf, patientID, patientID)
			if res.Error == nil && res.RowsAffected == 0 {
				return tracking.Errorf(tracking.ENOTFOUND, "The patient's record is not under a legal hold.")
			}
			return res.Error
		}
		err := tx.Exec("DELETE FROM legal_holds WHERE patient_id IN (SELECT id FROM patients WHERE merged_into_id = ?)", patientID).Error
		if err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO legal_holds (patient_id, reason, set_by, set_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (patient_id) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at`,
			patientID, h.Reason, h.By, h.At.UTC()).Error
	})
	return translate(err, "legal hold")
}

// writeRetention makes an update's change to a volume's review date and
// keeps or ends its destruction proposal, inside the update's
// transaction. Any change of status ends a proposal: what was proposed
// was destroying the folder as it then stood.
func writeRetention(tx *gorm.DB, id int64, upd tracking.VolumeUpdate) error {
	switch upd.RetainUntil.Action {
	case tracking.SetValue:
		err := tx.Exec(`INSERT INTO retention_dates (volume_id, retain_until, set_by, set_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (volume_id) DO UPDATE SET retain_until = excluded.retain_until, set_by = excluded.set_by,
			set_at = excluded.set_at`, id, upd.RetainUntil.Value.Time, upd.By, upd.At.UTC()).Error
		if err != nil {
			return err
		}
	case tracking.ClearValue:
		if err := tx.Exec("DELETE FROM retention_dates WHERE volume_id = ?", id).Error; err != nil {
			return err
		}
	}
	if p := upd.Propose; p != nil {
		return tx.Exec(`INSERT INTO destruction_proposals (volume_id, proposed_by, proposed_at, note) VALUES (?, ?, ?, ?)
			ON CONFLICT (volume_id) DO UPDATE SET proposed_by = excluded.proposed_by, proposed_at = excluded.proposed_at,
			note = excluded.note`, id, p.By, p.At.UTC(), p.Note).Error
	}
	if upd.Status != nil {
		return tx.Exec("DELETE FROM destruction_proposals WHERE volume_id = ?", id).Error
	}
	return nil
}

// checkRetentionUnchanged refuses a destruction when what the service
// decided it on (a hold, a review date, a proposal) changed meanwhile: a
// hold placed while the folder was being destroyed must win.
func checkRetentionUnchanged(tx *gorm.DB, dialect string, id int64, saw *tracking.Retention) error {
	now := map[int64]*tracking.Retention{}
	if err := retentionInto(tx, dialect, []int64{id}, now); err != nil {
		return err
	}
	if !now[id].Same(saw) {
		return tracking.Errorf(tracking.ECONFLICT,
			"The volume's review date, legal hold or destruction proposal changed meanwhile: look again before destroying it.")
	}
	return nil
}

// FindRetentionReview reads the folders for the retention list: not
// destroyed, with a review date on or before the day or a destruction
// proposed; each with its patient, where it is, and its retention.
func (db *DB) FindRetentionReview(ctx context.Context, on tracking.Date, limit int) ([]*tracking.RetentionEntry, error) {
	var ids []int64
	err := db.gorm.WithContext(ctx).Raw(`SELECT v.id FROM volumes v
		LEFT JOIN retention_dates r ON r.volume_id = v.id
		LEFT JOIN destruction_proposals d ON d.volume_id = v.id
		WHERE v.status <> 'destroyed' AND (r.retain_until <= ? OR d.volume_id IS NOT NULL)
		ORDER BY v.id LIMIT ?`, on.Time, limit).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return nil, translate(err, "retention list")
	}
	vols, err := db.findVolumesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	kept, err := db.FindRetention(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*tracking.RetentionEntry, 0, len(ids))
	for _, id := range ids {
		if v := vols[id]; v != nil {
			out = append(out, &tracking.RetentionEntry{VolumeAt: tracking.Listed(v), Retention: kept[id]})
		}
	}
	return out, nil
}
