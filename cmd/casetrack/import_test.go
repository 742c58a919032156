package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
)

// importReport is the command's JSON report.
type importReport struct {
	Accepted, Updated, Unchanged int
	Errors                       []struct {
		Line           int
		Field, Message string
	}
}

// runCommand runs casetrack with args on dsn, returning what it wrote to
// standard output and error and the error Run returned.
func runCommand(t *testing.T, dsn string, args ...string) (string, string, error) {
	t.Helper()
	m := NewMain()
	var out, errOut bytes.Buffer
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(""), &out, &errOut
	m.Getenv = func(k string) string {
		if k == "CASETRACK_DB" {
			return dsn
		}
		return ""
	}
	if err := m.ParseFlags(args); err != nil {
		return "", "", err
	}
	err := m.Run(context.Background())
	m.Close()
	return out.String(), errOut.String(), err
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportCommand imports a trust's three files from the command line
// on both databases: flags after the file name, a dry run that stores
// nothing, the run, the run again (unchanged), the report on standard
// output and progress on standard error, exit status 1 when a line was
// refused.
func TestImportCommand(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		dsn := dbtest.DSN(t, dialect)
		locations := writeTemp(t, "locations.csv", "code,name,kind,parent,barcode\nLIB,Library,library,,\nBAY1,\"Bay 1, west\",library,LIB,OLD-B1\n")
		patients := writeTemp(t, "patients.csv", "Hospital Number,NHS Number,Family Name,Given Name,Birth Date,Death Date\n"+
			"rx1,943 476 5919,O'NEILL,Siân,24/12/1931,\nRX2,,Smith-Jones,,1950-02-03,\nRX3,9434765918,BAD,,,\n")
		volumes := writeTemp(t, "volumes.csv", "hospital_number,volume_number,barcode,status,home,location\nRX1,1,OLD/1,,BAY1,\nRX2,1,,closed,,\n")
		steps := []struct {
			args    []string
			want    [3]int
			refused int
		}{
			{[]string{"import", "locations", locations}, [3]int{2, 0, 0}, 0},
			{[]string{"import", "patients", patients, "--dry-run"}, [3]int{2, 0, 0}, 1},
			{[]string{"import", "--dry-run", "volumes", volumes}, [3]int{0, 0, 0}, 2},
			{[]string{"import", "patients", patients}, [3]int{2, 0, 0}, 1},
			{[]string{"import", "volumes", volumes}, [3]int{2, 0, 0}, 0},
			{[]string{"import", "volumes", volumes}, [3]int{0, 0, 2}, 0},
		}
		for _, st := range steps {
			out, progress, err := runCommand(t, dsn, st.args...)
			var rep importReport
			if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
				t.Fatalf("%v: report %q: %v (run: %v)", st.args, out, jerr, err)
			}
			got := [3]int{rep.Accepted, rep.Updated, rep.Unchanged}
			if got != st.want || len(rep.Errors) != st.refused || (err != nil) != (st.refused > 0) {
				t.Errorf("%v: %+v, run error %v; want %v and %d refused", st.args, rep, err, st.want, st.refused)
			}
			if !strings.Contains(progress, " lines in ") {
				t.Errorf("%v: progress %q", st.args, progress)
			}
		}
	})
}

func TestImportCommandArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"NoFile", []string{"import", "patients"}, "needs what to import"},
		{"UnknownKind", []string{"import", "wards", "w.csv"}, "choose locations, patients or volumes"},
		{"TooMany", []string{"import", "patients", "a.csv", "b.csv"}, "needs what to import"},
		{"UnknownFlag", []string{"import", "patients", "a.csv", "--fast"}, "not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parseConfig(t, tc.args, nil, tc.err)
		})
	}
	c, _ := parseConfig(t, []string{"import", "patients", "a.csv", "--dry-run", "--db", "x.db"}, nil, "")
	if c.ImportKind != "patients" || c.ImportFile != "a.csv" || !c.DryRun || c.DB != "x.db" {
		t.Errorf("config %+v", c)
	}
	_, _, err := runCommand(t, filepath.Join(t.TempDir(), "c.db"), "import", "patients", filepath.Join(t.TempDir(), "missing.csv"))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing file: %v", err)
	}
}

// TestImportUpload imports over HTTP on both databases: a dry run, the
// run, a Windows-1252 file, a file larger than any other body may be (it
// is streamed to disk, not held), and the refusals.
func TestImportUpload(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, clerk := s.token("library"), s.token("clerk")
		s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "LIB", "name": "Library", "kind": "library"}, nil)
		file := []byte("hospital_number,nhs_number,family_name,given_name,birth_date,death_date\nRX1,,O'Neill,Si\xe2n,,\nRX2,,Smith,,,\n")
		steps := []struct {
			name, token, path string
			fields            map[string]string
			content           []byte
			want              int
			counts            [3]int
		}{
			{"DryRun", lib, "/api/v1/import/patients", map[string]string{"dry_run": "true"}, file, 200, [3]int{2, 0, 0}},
			{"Run", lib, "/api/v1/import/Patients", nil, file, 200, [3]int{2, 0, 0}},
			{"Again", lib, "/api/v1/import/patients", nil, file, 200, [3]int{0, 0, 2}},
			{"Large", lib, "/api/v1/import/patients", nil, largePatientsFile(17 << 20), 200, [3]int{298, 1, 1}},
			{"ErrClerk", clerk, "/api/v1/import/patients", nil, file, 403, [3]int{}},
			{"ErrKind", lib, "/api/v1/import/wards", nil, file, 404, [3]int{}},
		}
		for _, st := range steps {
			var rep importReport
			if got := s.upload(st.token, st.path, "file", "pas.csv", st.content, st.fields, &rep); got != st.want ||
				[3]int{rep.Accepted, rep.Updated, rep.Unchanged} != st.counts {
				t.Errorf("%s: %d %+v, want %d %v", st.name, got, rep, st.want, st.counts)
			}
		}
		var found struct{ Patients []patientAnswer }
		s.call(lib, "GET", "/api/v1/patients?hospital_number=RX1", nil, &found)
		if len(found.Patients) != 1 || found.Patients[0].FamilyName != "Smith" || found.Patients[0].GivenName != "Siân" {
			t.Errorf("imported patient %+v", found)
		}
		checkUploadRefusals(t, s, lib)
	})
}

// largePatientsFile is 300 patients (RX1 to RX300) with a column no
// import reads making the file larger than size.
func largePatientsFile(size int) []byte {
	var b strings.Builder
	b.WriteString("hospital_number,nhs_number,family_name,given_name,birth_date,death_date,notes\n")
	pad := strings.Repeat("x", size/300+1)
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&b, "RX%d,,Smith,,,,%s\n", i, pad)
	}
	return []byte(b.String())
}

func checkUploadRefusals(t *testing.T, s *testServer, lib string) {
	t.Helper()
	var e apiError
	if st := s.upload(lib, "/api/v1/import/patients", "other", "x.csv", []byte("x"), nil, &e); st != 422 || e.Error.Field != "file" {
		t.Errorf("no file: %d %+v", st, e)
	}
	if st := s.call(lib, "POST", "/api/v1/import/patients", "hospital_number\n", &e); st != 415 {
		t.Errorf("not multipart: %d %+v", st, e)
	}
	status := rawStatus(t, s, "POST /api/v1/import/patients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+lib+
		"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 2147483648\r\n\r\n--b\r\n"+strings.Repeat("x", 16<<10))
	if status != "HTTP/1.1 413 Request Entity Too Large" {
		t.Errorf("2 GiB upload: %q", status)
	}
	status = rawStatus(t, s, "POST /api/v1/scans/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+lib+
		"\r\nContent-Type: application/json\r\nContent-Length: 17825792\r\n\r\n"+strings.Repeat(" ", 16<<10))
	if status != "HTTP/1.1 413 Request Entity Too Large" {
		t.Errorf("a 17 MiB batch: %q", status)
	}
}

// rawStatus sends a request as written and returns the status line of
// the answer.
func rawStatus(t *testing.T, s *testServer, request string) string {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return strings.TrimSpace(line)
}
