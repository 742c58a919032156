package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

// demoPassword is the password of every demo user. The demo is for trying
// casetrack out; it refuses to load into a database that holds anything.
const demoPassword = "casetrack-demo"

var demoLocations = []tracking.Location{
	{Code: "LIB", Name: "Medical Records Library", Kind: tracking.KindLibrary},
	{Code: "LIB-A", Name: "Library Bay A (00-32)", Kind: tracking.KindLibrary, ParentCode: "LIB"},
	{Code: "LIB-B", Name: "Library Bay B (33-65)", Kind: tracking.KindLibrary, ParentCode: "LIB"},
	{Code: "LIB-C", Name: "Library Bay C (66-99)", Kind: tracking.KindLibrary, ParentCode: "LIB"},
	{Code: "WARD1", Name: "Ward 1 Acute Medicine", Kind: tracking.KindWard},
	{Code: "WARD7", Name: "Ward 7 Cardiology", Kind: tracking.KindWard},
	{Code: "WARD9", Name: "Ward 9 Orthopaedics", Kind: tracking.KindWard},
	{Code: "WARD12", Name: "Ward 12 Elderly Care", Kind: tracking.KindWard},
	{Code: "WARD14", Name: "Ward 14 General Surgery", Kind: tracking.KindWard},
	{Code: "WARD21", Name: "Ward 21 Maternity", Kind: tracking.KindWard},
	{Code: "OPD-CARD", Name: "Cardiology Outpatients", Kind: tracking.KindClinic},
	{Code: "OPD-ORTH", Name: "Fracture Clinic", Kind: tracking.KindClinic},
	{Code: "OPD-DIAB", Name: "Diabetes Centre", Kind: tracking.KindClinic},
	{Code: "OPD-RESP", Name: "Respiratory Clinic", Kind: tracking.KindClinic},
	{Code: "ED", Name: "Emergency Department", Kind: tracking.KindDepartment},
	{Code: "RADIOL", Name: "Radiology", Kind: tracking.KindDepartment},
	{Code: "SEC-CARD", Name: "Cardiology Secretaries", Kind: tracking.KindOffice},
	{Code: "SEC-ORTH", Name: "Orthopaedic Secretaries", Kind: tracking.KindOffice},
	{Code: "CODING", Name: "Clinical Coding Office", Kind: tracking.KindOffice},
	{Code: "OFFSITE", Name: "Off-site Records Store", Kind: tracking.KindOffsite},
	{Code: "PORTERS", Name: "Portering Desk", Kind: tracking.KindPerson},
	// A sensitive service: clerks see a restricted location beside a
	// patient whose notes are there.
	{Code: "OPD-SH", Name: "Sexual Health Clinic", Kind: tracking.KindClinic, Sensitive: true},
}

var demoFamilyNames = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
	"Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
	"Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper",
	"Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
	"O'Neill", "Ó'Brien", "Khan", "Begum", "Nowak", "MacDonald", "Okafor", "Singh", "Ahmed", "Llewellyn"}

var demoGivenNames = []string{"Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad",
	"Thomas", "Oscar", "William", "James", "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia",
	"Poppy", "Ella", "Lily", "Margaret", "Dorothy", "Joan", "Zoë", "Siân", "Dafydd", "Aoife", "Renée",
	"Eileen", "Arthur", "Albert", "Florence", "Gwen", "Priya", "Chidi", "Agnieszka", "Seán", "Niamh"}

// loadDemo fills an empty database with a believable small trust: a
// library with bays, wards, clinics and offices, ~200 patients with one to
// three volumes each, and two weeks of movements.
func (m *Main) loadDemo(ctx context.Context) error {
	empty, err := m.DB.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		m.Logger.Info("demo data not loaded: the database already holds data")
		demoRefused(m.Stdout, m.Config.DB, m.DB.Dialect())
		return nil
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	admin := tracking.Actor{Name: "demo", Role: tracking.RoleAdmin, Kind: tracking.ActorSystem}
	for _, l := range demoLocations {
		if err := m.Service.CreateLocation(ctx, &l); err != nil {
			return fmt.Errorf("demo location %s: %w", l.Code, err)
		}
	}
	vols, err := m.demoPatients(ctx, rng, admin)
	if err != nil {
		return err
	}
	if err := m.demoHistory(ctx, rng, admin, vols); err != nil {
		return err
	}
	if err := m.demoRequests(ctx, rng, vols); err != nil {
		return err
	}
	if err := m.demoExceptions(ctx, vols); err != nil {
		return err
	}
	if err := m.demoGoLive(ctx, admin); err != nil {
		return err
	}
	if err := m.demoNamesakes(ctx, admin); err != nil {
		return err
	}
	if err := m.demoReview(ctx); err != nil {
		return err
	}
	return m.demoAccounts(ctx)
}

// demoRefused tells the person at the console why --demo loaded nothing
// and how to get in anyway: with a user or token made on the command line,
// or by starting again from an empty database. The database is named by
// a placeholder, as its URL may hold a password.
func demoRefused(w io.Writer, dsn, dialect string) {
	flag := ""
	if dsn != "casetrack.db" {
		flag = " --db DSN"
	}
	fmt.Fprintf(w, `The database already holds data, so the demo trust was not loaded: it loads only into an empty database.
To sign in anyway, use a user made before, or make one (it asks for the password):
  casetrack user create --name NAME --role admin%[1]s
For the API, make a token (it is printed on the last line):
  casetrack token create --name NAME --role admin%[1]s
`, flag)
	if dialect == db.SQLite {
		path := strings.TrimPrefix(dsn, "sqlite:")
		fmt.Fprintf(w, "To start the demo afresh, stop casetrack, delete %[1]s, %[1]s-wal and %[1]s-shm, and run serve --demo again.\n", path)
		return
	}
	fmt.Fprintln(w, "To start the demo afresh, run serve --demo with --db naming an empty database.")
}

func (m *Main) demoPatients(ctx context.Context, rng *rand.Rand, a tracking.Actor) ([]*tracking.Volume, error) {
	var vols []*tracking.Volume
	for i := 0; i < 200; i++ {
		p := demoPatient(rng, i)
		if err := m.Service.CreatePatient(ctx, a, p, ""); err != nil {
			return nil, fmt.Errorf("demo patient %d: %w", i, err)
		}
		mine := p.Volumes
		for n := rng.IntN(3); n > 0; n-- {
			v, err := m.Service.AddVolume(ctx, a, p.HospitalNumber, tracking.VolumeInput{})
			if err != nil {
				return nil, fmt.Errorf("demo volume: %w", err)
			}
			mine = append(mine, v)
		}
		if err := m.demoStatuses(ctx, rng, a, mine); err != nil {
			return nil, err
		}
		vols = append(vols, mine...)
	}
	return vols, nil
}

// demoStatuses closes every volume but a patient's newest, as libraries
// do when a new volume is opened, and marks a few folders missing.
func (m *Main) demoStatuses(ctx context.Context, rng *rand.Rand, a tracking.Actor, vols []*tracking.Volume) error {
	closed, missing := tracking.StatusClosed, tracking.StatusMissing
	for i, v := range vols {
		upd := tracking.VolumeUpdate{}
		switch {
		case i < len(vols)-1:
			upd.Status = &closed
		case rng.IntN(40) == 0:
			upd.Status = &missing
		default:
			continue
		}
		if _, err := m.Service.UpdateVolume(ctx, a, v.Barcode, upd); err != nil {
			return fmt.Errorf("demo volume status: %w", err)
		}
	}
	return nil
}

func demoPatient(rng *rand.Rand, i int) *tracking.Patient {
	birth := tracking.DateOf(time.Date(1925+rng.IntN(99), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC))
	p := &tracking.Patient{
		HospitalNumber: fmt.Sprintf("H%06d", 100000+rng.IntN(900000)/200*200+i),
		FamilyName:     demoFamilyNames[rng.IntN(len(demoFamilyNames))],
		GivenName:      demoGivenNames[rng.IntN(len(demoGivenNames))],
		BirthDate:      &birth,
	}
	if i%20 != 0 { // some patients (overseas visitors, old records) have no NHS number
		p.NHSNumber = demoNHSNumber(rng)
	}
	return p
}

// demoNHSNumber makes a number with a valid Modulus 11 check digit, from
// the 999 range that is never issued to real patients.
func demoNHSNumber(rng *rand.Rand) string {
	for {
		n := fmt.Sprintf("999%06d", rng.IntN(1000000))
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(n[i]-'0') * (10 - i)
		}
		check := (11 - sum%11) % 11
		if check != 10 {
			return n + fmt.Sprint(check)
		}
	}
}

// demoHistory books volumes about the hospital over the last fortnight,
// through the same scan path the porters use.
func (m *Main) demoHistory(ctx context.Context, rng *rand.Rand, a tracking.Actor, vols []*tracking.Volume) error {
	now := time.Now().UTC()
	var scans []tracking.Scan
	for i, v := range vols {
		if rng.IntN(10) < 4 {
			continue
		}
		at := now.Add(-time.Duration(14*24-rng.IntN(24)) * time.Hour)
		for n := 1 + rng.IntN(4); n > 0; n-- {
			at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			if at.After(now) {
				break
			}
			to := demoLocations[4+rng.IntN(len(demoLocations)-4)].Code
			if rng.IntN(3) == 0 {
				to = "LIB"
			}
			scans = append(scans, tracking.Scan{ScanID: fmt.Sprintf("demo-%d-%d", i, n), Barcode: v.Barcode,
				Location: to, Device: "demo-porter", ScannedAt: tracking.TimestampOf(at), Channel: tracking.ChannelBatch})
		}
	}
	_, _, err := m.Service.RecordScans(ctx, a, scans)
	return err
}

// demoNamesakes registers two patients who share a name, as every trust
// has, so searches and labels show the same-name alert.
func (m *Main) demoNamesakes(ctx context.Context, a tracking.Actor) error {
	for i, born := range []time.Time{time.Date(1948, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(1987, 11, 2, 0, 0, 0, 0, time.UTC)} {
		d := tracking.DateOf(born)
		p := &tracking.Patient{HospitalNumber: fmt.Sprintf("H09990%d", i), FamilyName: "Smith", GivenName: "Dafydd", BirthDate: &d}
		if err := m.Service.CreatePatient(ctx, a, p, ""); err != nil {
			return fmt.Errorf("demo namesake: %w", err)
		}
	}
	return nil
}

// demoReview leaves a porter's scan station with two scans for the
// records manager to review: a label nobody knows and a misread.
func (m *Main) demoReview(ctx context.Context) error {
	ward, err := m.Service.FindLocation(ctx, "WARD7")
	if err != nil {
		return err
	}
	porter := tracking.Actor{Name: "porter", Role: tracking.RolePorter}
	var scans []tracking.Scan
	good := tracking.VolumeBarcode(1)
	misread := good[:len(good)-1] + string('0'+(good[len(good)-1]-'0'+1)%10)
	for i, code := range []string{ward.Barcode, "LEGACY-4471", misread} {
		scans = append(scans, tracking.Scan{ScanID: fmt.Sprintf("demo-review-%d", i), Barcode: code,
			Device: "station-5ca1ab1e-0d0c", Channel: tracking.ChannelStation})
	}
	_, _, err = m.Service.RecordScans(ctx, porter, scans)
	return err
}

func (m *Main) demoAccounts(ctx context.Context) error {
	fmt.Fprintln(m.Stdout, "Demo trust loaded. Sign in at /login as any of these users, password "+demoPassword+":")
	for _, r := range []tracking.Role{tracking.RoleAdmin, tracking.RoleRecords, tracking.RoleLibrary, tracking.RoleClerk, tracking.RolePorter} {
		u, err := m.Service.CreateUser(ctx, commandLine, string(r), r, demoPassword)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "  %-8s (role %s)\n", u.Name, r)
	}
	_, secret, err := m.Service.CreateToken(ctx, commandLine, "demo-device", tracking.RoleDevice)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "API token for device apps (role device; it scans as the device demo-device): %s\n", secret)
	return nil
}
