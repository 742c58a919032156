// Command casetrack-gen writes the files a trust going live would import
// (locations.csv, patients.csv, volumes.csv), as large as asked, the same
// every time: BENCHMARKS.md imports them to measure casetrack import.
//
//	go run ./cmd/casetrack-gen -dir /tmp/trust -patients 1000000
//
// The locations are a library of 20 bays, each with 10 shelves, wards,
// clinics and an off-site store. Patients have valid, distinct hospital
// and NHS numbers, names with apostrophes, hyphens and letters beyond
// ASCII, and dates in both of the forms a file may use; one in ten has no
// NHS number. Volumes are one to three a patient, 1.5 on average, half
// with a legacy barcode, some closed, missing or archived, homed on a
// shelf and some out on a ward.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "", "folder to write the three files into (made if missing)")
	patients := flag.Int("patients", 1_000_000, "how many patients (volumes are 1.5 times as many)")
	flag.Parse()
	if err := run(*dir, *patients); err != nil {
		fmt.Fprintln(os.Stderr, "casetrack-gen:", err)
		os.Exit(1)
	}
}

func run(dir string, patients int) error {
	if dir == "" {
		return errors.New("give -dir")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(w *bufio.Writer) error
	}{
		{"locations.csv", writeLocations},
		{"patients.csv", func(w *bufio.Writer) error { return writePatients(w, patients) }},
		{"volumes.csv", func(w *bufio.Writer) error { return writeVolumes(w, patients) }},
	} {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeLocations(w *bufio.Writer) error {
	fmt.Fprintln(w, "code,name,kind,parent,barcode")
	fmt.Fprintln(w, "LIB,Medical Records Library,library,,OLDLIB")
	for b := 1; b <= 20; b++ {
		fmt.Fprintf(w, "BAY%02d,\"Bay %d, main library\",library,LIB,OLDBAY%02d\n", b, b, b)
		for s := 1; s <= 10; s++ {
			fmt.Fprintf(w, "BAY%02d-S%02d,Bay %d shelf %d,library,BAY%02d,\n", b, s, b, s, b)
		}
	}
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(w, "WARD%d,Ward %d,ward,,\n", i, i)
	}
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(w, "CLINIC%d,Outpatient clinic %d,clinic,,\n", i, i)
	}
	_, err := fmt.Fprintln(w, "OFFSITE,Off-site store,offsite,,")
	return err
}

var (
	families = []string{"SMITH", "O'NEILL", "JONES", "Ó'BRIEN", "PATEL", "NOWAK", "WILLIAMS", "SMITH-JONES", "TAYLOR", "BROWN",
		"DAVIES", "EVANS", "KHAN", "WILSON", "THOMAS", "ROBERTS", "JOHNSON", "LEWIS", "WALKER", "WRIGHT"}
	givens = []string{"Zoë", "Siân", "John", "Mary", "Mohammed", "Olivia", "Jack", "Amelia", "Harry", "Isla", "Oliver", "Ava",
		"George", "Emily", "Noah", "Ella", "Leo", "Grace", "Arthur", "Freya"}
)

func writePatients(w *bufio.Writer, n int) error {
	fmt.Fprintln(w, "hospital_number,nhs_number,family_name,given_name,birth_date,death_date")
	var numbers nhsNumbers
	for i := range n {
		nhs := ""
		if i%10 != 9 {
			nhs = numbers.next()
		}
		family := families[i%len(families)]
		if i%7 == 0 {
			family = `"` + family + `, JR"`
		}
		y, m, d := 1920+i%100, 1+i%12, 1+i%28
		birth := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		if i%2 == 1 {
			birth = fmt.Sprintf("%02d/%02d/%04d", d, m, y)
		}
		death := ""
		if i%50 == 0 {
			death = fmt.Sprintf("%04d-01-15", 2021+i%4)
		}
		if _, err := fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s\n", hospitalNumber(i), nhs, family, givens[(i/3)%len(givens)], birth, death); err != nil {
			return err
		}
	}
	return nil
}

func hospitalNumber(i int) string { return fmt.Sprintf("RX%07d", i+1) }

// nhsNumbers hands out valid NHS numbers starting with 9 in order (the
// 999 range, never issued, is too small for a million): nine digits and
// their Modulus 11 check digit, skipping those whose check would be 10.
type nhsNumbers struct{ n int }

func (g *nhsNumbers) next() string {
	for {
		g.n++
		s := fmt.Sprintf("9%08d", g.n)
		sum := 0
		for k := 0; k < 9; k++ {
			sum += int(s[k]-'0') * (10 - k)
		}
		if c := (11 - sum%11) % 11; c != 10 {
			return s + fmt.Sprint(c)
		}
	}
}

var statuses = []string{"", "", "", "", "", "", "closed", "missing", "archived", "active"}

func writeVolumes(w *bufio.Writer, patients int) error {
	fmt.Fprintln(w, "hospital_number,volume_number,barcode,status,home,location")
	line := 0
	for i := range patients {
		for v := 1; v <= 1+i%2+boolInt(i%4 == 3)-boolInt(i%4 == 1); v++ {
			line++
			barcode := ""
			if line%2 == 0 {
				barcode = fmt.Sprintf("OLD%08d", line)
			}
			home := fmt.Sprintf("BAY%02d-S%02d", 1+i%20, 1+(i/20)%10)
			location := ""
			if line%9 == 0 {
				location = fmt.Sprintf("WARD%d", 1+line%30)
			}
			if _, err := fmt.Fprintf(w, "%s,%d,%s,%s,%s,%s\n", hospitalNumber(i), v, barcode, statuses[line%len(statuses)], home, location); err != nil {
				return err
			}
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
