package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// demoRequests asks for some notes on the wards (one of them late, some
// urgent) and books tomorrow's clinics from the PAS, so the request queue
// and the pull lists have work on them.
func (m *Main) demoRequests(ctx context.Context, rng *rand.Rand, vols []*tracking.Volume) error {
	clerk := tracking.Actor{Name: "clerk", Role: tracking.RoleClerk}
	now := time.Now()
	wards := []string{"WARD1", "WARD7", "WARD9", "WARD12", "ED"}
	for i := 0; i < 8; i++ {
		hn, err := m.demoHospitalNumber(ctx, vols[rng.IntN(len(vols))])
		if err != nil {
			return err
		}
		in := tracking.RequestInput{Patient: hn, Location: wards[rng.IntN(len(wards))], Priority: tracking.PriorityRoutine,
			NeededBy: now.Add(time.Duration(rng.IntN(20)-2) * time.Hour).Format(time.RFC3339)}
		if i%3 == 0 {
			in.Priority, in.Note = tracking.PriorityUrgent, "Patient admitted overnight"
		}
		if _, err := m.Service.CreateRequest(ctx, clerk, in); err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
	}
	return m.demoClinics(ctx, rng, vols, now.AddDate(0, 0, 1))
}

// demoClinics books each clinic's morning and afternoon on the day.
func (m *Main) demoClinics(ctx context.Context, rng *rand.Rand, vols []*tracking.Volume, day time.Time) error {
	pas := tracking.Actor{Name: "demo PAS", Role: tracking.RoleLibrary}
	n := 0
	for _, clinic := range []string{"OPD-CARD", "OPD-ORTH", "OPD-DIAB", "OPD-RESP"} {
		for slot := 0; slot < 10; slot++ {
			hn, err := m.demoHospitalNumber(ctx, vols[rng.IntN(len(vols))])
			if err != nil {
				return err
			}
			hour := 9 + slot/2
			if slot >= 6 {
				hour = 13 + slot/2 - 3
			}
			start := time.Date(day.Year(), day.Month(), day.Day(), hour, 30*(slot%2), 0, 0, time.Local)
			n++
			in := tracking.AppointmentInput{ID: fmt.Sprintf("DEMO-%05d", n), Clinic: clinic, Patient: hn, Start: start.Format(time.RFC3339)}
			if _, err := m.Service.BookAppointment(ctx, pas, in); err != nil {
				return fmt.Errorf("demo appointment: %w", err)
			}
		}
	}
	return nil
}

func (m *Main) demoHospitalNumber(ctx context.Context, v *tracking.Volume) (string, error) {
	found, err := m.Service.FindVolume(ctx, tracking.Actor{Name: "demo", Role: tracking.RoleAdmin}, v.Barcode)
	if err != nil {
		return "", err
	}
	return found.Patient.HospitalNumber, nil
}
