package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// seeded is what the scans are spread over: volumes, and two locations
// they alternate between so that most scans move something.
type seeded struct {
	run     string // prefix making this run's codes and scan ids unique
	volumes []string
	places  [2]string
	next    atomic.Int64 // the next scan number, shared by every phase
}

// scanAt returns the n-th scan's volume and location: volumes in turn, and
// each visit to a volume books it to the other location.
func (s *seeded) scanAt(n int64) (barcode, location string) {
	nv := int64(len(s.volumes))
	return s.volumes[n%nv], s.places[(n/nv)%2]
}

// seedTrust creates a library, a ward and a clinic and n patients, each
// with volume 1 at the library, through the API at the given concurrency.
func seedTrust(ctx context.Context, cl *client, n, conc int) (*seeded, error) {
	s := &seeded{run: "LD" + strings.ToUpper(randomHex(3))}
	lib := s.run + "-LIB"
	s.places = [2]string{s.run + "-WARD", s.run + "-CLINIC"}
	for code, kind := range map[string]string{lib: "library", s.places[0]: "ward", s.places[1]: "clinic"} {
		body, _ := json.Marshal(map[string]string{"code": code, "name": "Load " + kind, "kind": kind})
		if _, err := cl.mustPost(ctx, "/api/v1/locations", body, 201); err != nil {
			return nil, err
		}
	}
	s.volumes = make([]string, n)
	return s, parallel(n, conc, func(i int) error { return s.addPatient(ctx, cl, i, lib) })
}

// parallel calls do for 0..n-1 on conc goroutines and returns the first
// failure, after which no goroutine takes another.
func parallel(n, conc int, do func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, conc)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if err := do(int(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// seedRequests adds n other patients, each with an open request for its
// notes at the clinic needed tomorrow: the queue a trust's scans run
// beside, which must not slow them down.
func seedRequests(ctx context.Context, cl *client, s *seeded, n, conc int) error {
	lib := s.run + "-LIB"
	need := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	return parallel(n, conc, func(i int) error {
		hn := fmt.Sprintf("%s-R%06d", s.run, i)
		body, _ := json.Marshal(map[string]string{"hospital_number": hn, "family_name": "Waiting", "home": lib})
		if _, err := cl.mustPost(ctx, "/api/v1/patients", body, 201); err != nil {
			return err
		}
		body, _ = json.Marshal(map[string]string{"patient": hn, "location": s.places[1], "needed_by": need})
		_, err := cl.mustPost(ctx, "/api/v1/requests", body, 201)
		return err
	})
}

func (s *seeded) addPatient(ctx context.Context, cl *client, i int, home string) error {
	body, _ := json.Marshal(map[string]string{"hospital_number": fmt.Sprintf("%s-%06d", s.run, i),
		"family_name": "Load", "given_name": fmt.Sprintf("Patient %d", i), "home": home})
	out, err := cl.mustPost(ctx, "/api/v1/patients", body, 201)
	if err != nil {
		return err
	}
	var p struct{ Volumes []struct{ Barcode string } }
	if err := json.Unmarshal(out, &p); err != nil || len(p.Volumes) != 1 {
		return fmt.Errorf("new patient: unexpected answer %s", out)
	}
	s.volumes[i] = p.Volumes[0].Barcode
	return nil
}
