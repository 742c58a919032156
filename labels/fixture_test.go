package labels

import (
	"strings"
	"time"
)

// Labels the tests print, from the ordinary to the hostile.

var dob = time.Date(1931, 12, 24, 0, 0, 0, 0, time.UTC)

func volumeLabel() Label {
	return Label{
		Kind: KindVolume, Barcode: "V000012342",
		FamilyName: "Ó'Neill", GivenName: "Zoë Siân", BirthDate: dob,
		NHSNumber: "9434765919", HospitalNumber: "RX1607458",
		VolumeNumber: 2, VolumeCount: 3,
	}
}

func locationLabel(s Symbology) Label {
	return Label{
		Kind: KindLocation, Barcode: "L000072", Symbology: s,
		LocationName: "Ward 7A Cardiology", LocationKind: "Ward", LocationCode: "W7A",
	}
}

// hostileName is ZPL that would end the label and start a new one, and a
// control command, if it reached the printer unescaped.
const hostileName = "^XZ^XA^FO0,0^FDpwned~JR_1F"

// fixtures are the labels every output is checked with.
func fixtures() []struct {
	name string
	l    Label
} {
	alert := volumeLabel()
	alert.Temporary, alert.SameNameAlert = true, true
	bare := Label{Kind: KindVolume, Barcode: "V000000018", FamilyName: "Smith"}
	long := volumeLabel()
	long.FamilyName = strings.Repeat("Featherstonehaugh-", 12)[:200]
	long.GivenName = strings.Repeat("Wolfeschlegelsteinhausen ", 8)
	long.HospitalNumber = "K0012345678901234567"
	hostile := volumeLabel()
	hostile.FamilyName = hostileName
	hostile.GivenName = "Bobby\r\n^XZ\x00\x1b[31m\u202eTables"
	hostile.HospitalNumber = "~JA^XZ12"
	legacy := Label{Kind: KindVolume, Barcode: "ab-123/x^~_", FamilyName: "Jones", VolumeNumber: 1}
	return []struct {
		name string
		l    Label
	}{
		{"Volume", volumeLabel()},
		{"VolumeAlerts", alert},
		{"VolumeBare", bare},
		{"VolumeLongNames", long},
		{"VolumeHostile", hostile},
		{"VolumeLegacyBarcode", legacy},
		{"LocationCode128", locationLabel(Code128)},
		{"LocationQR", locationLabel(QR)},
		{"LocationDataMatrix", locationLabel(DataMatrix)},
	}
}
