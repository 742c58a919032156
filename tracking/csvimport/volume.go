package csvimport

import (
	"fmt"
	"io"
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// VolumeRow is one casenote volume of a volumes file, checked by
// tracking's rules. The volume is matched by HospitalNumber and Number; an
// empty Status, Home or Location is left for the Service to decide (the
// defaults of a new volume, or what a stored one has).
type VolumeRow = tracking.VolumeLine

// NewVolumeReader reads a volumes file
// (hospital_number,volume_number,barcode,status,home,location). A volume
// (hospital number and volume number) or a barcode already on an earlier
// line of the file refuses the later line.
func NewVolumeReader(r io.Reader, o Options) (*Reader[VolumeRow], error) {
	vs := &volumes{keys: firstLines[volumeKey]{}, barcodes: firstLines[string]{}}
	return newReader[VolumeRow](r, Volumes, vs)
}

type volumes struct {
	keys     firstLines[volumeKey]
	barcodes firstLines[string]
}

type volumeKey struct {
	hospitalNumber hospitalKey
	number         int
}

func (vs *volumes) expect(n int) {
	vs.keys, vs.barcodes = vs.keys.sized(n), vs.barcodes.sized(n*len(vs.barcodes)/max(len(vs.keys), 1))
}

func (vs *volumes) row(line int, v []string) (VolumeRow, *LineError) {
	row, err := volume(v)
	if err != nil {
		return VolumeRow{}, lineError(line, err)
	}
	row.Line = line
	if lerr := vs.unique(line, &row); lerr != nil {
		return VolumeRow{}, lerr
	}
	return row, nil
}

func volume(v []string) (VolumeRow, error) {
	row := VolumeRow{HospitalNumber: strings.ToUpper(v[0]), LegacyBarcode: v[2],
		Status: tracking.VolumeStatus(strings.ToLower(v[3])), Home: strings.ToUpper(v[4]), Location: strings.ToUpper(v[5])}
	if err := tracking.ValidateHospitalNumber(row.HospitalNumber); err != nil {
		return row, err
	}
	var err error
	if row.Number, err = tracking.ParseVolumeNumber(v[1]); err != nil {
		return row, err
	}
	if row.LegacyBarcode != "" {
		if err := tracking.ValidateLegacyBarcode("barcode", row.LegacyBarcode); err != nil {
			return row, err
		}
	}
	if row.Status != "" {
		if err := tracking.ValidateVolumeStatus(row.Status); err != nil {
			return row, err
		}
	}
	if err := locationCode("home", row.Home); err != nil {
		return row, err
	}
	return row, locationCode("location", row.Location)
}

// unique refuses a volume an earlier line of the file has, by its number
// or its barcode, and otherwise remembers both.
func (vs *volumes) unique(line int, row *VolumeRow) *LineError {
	key := volumeKey{packHospitalNumber(row.HospitalNumber), row.Number}
	if first, ok := vs.keys[key]; ok {
		return &LineError{Line: line, Field: "volume_number",
			Message: fmt.Sprintf("Volume %d of %s is already on line %d.", row.Number, row.HospitalNumber, first)}
	}
	if first, ok := vs.barcodes[row.LegacyBarcode]; ok {
		return &LineError{Line: line, Field: "barcode",
			Message: fmt.Sprintf("Barcode %s is already on line %d.", row.LegacyBarcode, first)}
	}
	vs.keys[key] = line
	if row.LegacyBarcode != "" {
		vs.barcodes[strings.Clone(row.LegacyBarcode)] = line
	}
	return nil
}
