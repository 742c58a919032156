package main

import (
	"context"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// demoExceptions gives the demo trust the exceptions a library chases
// (the fortnight of history already leaves notes overdue on wards and in
// offices): a folder missing for nine days, whose search is due for
// escalation, with a temporary folder standing in for it; another missing
// since the day before yesterday; and a finished sweep of the library.
func (m *Main) demoExceptions(ctx context.Context, vols []*tracking.Volume) error {
	records := tracking.Actor{Name: "records", Role: tracking.RoleRecords}
	now := m.Service.Now
	defer func() { m.Service.Now = now }()
	picked, err := m.demoActive(ctx, vols, 2)
	if err != nil || len(picked) < 2 {
		return err
	}
	steps := []struct {
		ago  time.Duration
		do   func() error
		what string
	}{
		{9 * 24 * time.Hour, func() error {
			return m.demoMissing(ctx, records, picked[0], "Searched the library bays, WARD7 and the cardiology secretaries.")
		}, "missing folder"},
		{8 * 24 * time.Hour, func() error {
			_, err := m.Service.AddVolume(ctx, records, picked[0].Patient.HospitalNumber,
				tracking.VolumeInput{Temporary: true, Original: picked[0].Barcode})
			return err
		}, "temporary folder"},
		{2 * 24 * time.Hour, func() error { return m.demoMissing(ctx, records, picked[1], "Not on the ward it was booked to.") }, "missing folder"},
	}
	for _, st := range steps {
		at := time.Now().Add(-st.ago)
		m.Service.Now = func() time.Time { return at }
		if err := st.do(); err != nil {
			return fmt.Errorf("demo %s: %w", st.what, err)
		}
	}
	m.Service.Now = now
	return m.demoSweep(ctx, records)
}

// demoActive finds n volumes that are active now (the statuses the list
// was made with have changed since).
func (m *Main) demoActive(ctx context.Context, vols []*tracking.Volume, n int) ([]*tracking.Volume, error) {
	var out []*tracking.Volume
	for i := 10; i < len(vols) && len(out) < n; i += 7 {
		v, err := m.Service.Store.FindVolumeByBarcode(ctx, vols[i].Barcode)
		if err != nil {
			return nil, err
		}
		if v.Status == tracking.StatusActive {
			out = append(out, v)
		}
	}
	return out, nil
}

func (m *Main) demoMissing(ctx context.Context, a tracking.Actor, v *tracking.Volume, note string) error {
	st := tracking.StatusMissing
	_, err := m.Service.UpdateVolume(ctx, a, v.Barcode, tracking.VolumeUpdate{Status: &st, Note: note})
	return err
}

// demoSweep sweeps the library: its folders scanned along the shelves in
// terminal-digit order, but for a few nobody found, one out of place, and
// one recorded on a ward, so the report has a little of everything.
func (m *Main) demoSweep(ctx context.Context, a tracking.Actor) error {
	sw, err := m.Service.StartSweep(ctx, a, "LIB")
	if err != nil {
		return err
	}
	_, vols, err := m.Service.VolumesAt(ctx, a, "LIB")
	if err != nil {
		return err
	}
	tracking.SortForShelf(vols)
	var order []*tracking.Volume
	for i, v := range vols {
		if i%9 != 4 && v.Status != tracking.StatusMissing {
			order = append(order, v)
		}
	}
	if len(order) > 20 {
		order[5], order[15] = order[15], order[5]
	}
	if _, ward, err := m.Service.VolumesAt(ctx, a, "WARD7"); err == nil && len(ward) > 0 {
		order = append(order, ward[0])
	}
	scans := make([]tracking.Scan, 0, len(order)+1)
	for i, v := range order {
		scans = append(scans, tracking.Scan{ScanID: fmt.Sprintf("demo-sweep-%d", i), Barcode: v.Barcode, Sweep: sw.ID,
			Device: "demo-sweep", Channel: tracking.ChannelBatch})
	}
	scans = append(scans, tracking.Scan{ScanID: "demo-sweep-unknown", Barcode: "RX-0042/OLD", Sweep: sw.ID,
		Device: "demo-sweep", Channel: tracking.ChannelBatch})
	if _, _, err := m.Service.RecordScans(ctx, a, scans); err != nil {
		return err
	}
	_, err = m.Service.FinishSweep(ctx, a, sw.ID)
	return err
}
