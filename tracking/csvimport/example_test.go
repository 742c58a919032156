package csvimport_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/casetrack/casetrack/tracking/csvimport"
)

// An import reads its file a batch at a time, writes each batch's rows
// and collects each batch's errors in the report.
func Example() {
	file := strings.NewReader("Hospital Number,NHS Number,Family Name,Given Name,Birth Date,Death Date\r\n" +
		"h1,943 476 5919,SMITH,Ann,24/12/1931,\r\n" +
		"H2,943 476 5918,JONES,Tom,,\r\n" +
		"H3,,O'NEILL,,1950-02-03,\r\n")
	today := tracking.Date{Time: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	rd, err := csvimport.NewPatientReader(file, csvimport.Options{Today: today})
	if err != nil {
		var whole *csvimport.LineError
		if errors.As(err, &whole) {
			fmt.Println("not an import:", whole) // a report of this one error
		} else {
			fmt.Println("unreadable:", err)
		}
		return
	}
	var report csvimport.Report
	var batch csvimport.Batch[csvimport.PatientRow]
	for rd.Next(&batch, 1000) {
		report.AddErrors(batch.Errors...)
		report.Accepted += len(batch.Rows) // where the Service writes them
	}
	if err := rd.Err(); err != nil {
		fmt.Println("unreadable:", err)
		return
	}
	out, _ := json.Marshal(report)
	fmt.Println(string(out))
	// Output:
	// {"accepted":2,"updated":0,"unchanged":0,"errors":[{"line":3,"field":"nhs_number","message":"NHS number 943 476 5918 fails its check digit: please check it was copied correctly."}]}
}
