package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
