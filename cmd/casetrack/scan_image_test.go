package main

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"testing"

	"github.com/casetrack/casetrack/labels"
)

type imageAnswer struct {
	Codes []struct {
		Text, Format string
	}
	Results []scanResult
	Error   *struct{ Code, Message string }
}

func (s *testServer) uploadImage(token string, img []byte, fields map[string]string, out any) int {
	s.t.Helper()
	return s.upload(token, "/api/v1/scans/image", "image", "frame.png", img, fields, out)
}

// frameWithLabels draws labels side by side on a grey desk, as a webcam
// held over a trolley would see them.
func frameWithLabels(t *testing.T, ls ...labels.Label) []byte {
	t.Helper()
	frame := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	draw.Draw(frame, frame.Bounds(), &image.Uniform{color.RGBA{120, 125, 130, 255}}, image.Point{}, draw.Src)
	x := 40
	for _, l := range ls {
		var b bytes.Buffer
		if err := labels.Write(&b, l, labels.Format{}); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		r := img.Bounds().Add(image.Pt(x, 200))
		draw.Draw(frame, r, img, img.Bounds().Min, draw.Src)
		x += img.Bounds().Dx() + 60
	}
	var out bytes.Buffer
	png.Encode(&out, frame)
	return out.Bytes()
}

func TestScanImage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, app := s.token("library"), s.token("porter")
		vols, _ := seed(t, s, lib, 2)
		frame := frameWithLabels(t,
			labels.Label{Kind: labels.KindVolume, Barcode: vols[0], FamilyName: "Patient", VolumeNumber: 1, VolumeCount: 1},
			labels.Label{Kind: labels.KindVolume, Barcode: vols[1], FamilyName: "Patient", VolumeNumber: 1, VolumeCount: 1})
		var ans imageAnswer
		fields := map[string]string{"scan_id": "cam-1", "location": "WARD7", "device": "webcam-1"}
		if st := s.uploadImage(app, frame, fields, &ans); st != 200 || len(ans.Codes) != 2 || len(ans.Results) != 2 {
			t.Fatalf("image scan: %d %+v", st, ans)
		}
		ids := map[string]bool{}
		for _, r := range ans.Results {
			ids[r.ScanID] = true
			if r.Result != "moved" {
				t.Errorf("result %+v, want moved", r)
			}
		}
		if !ids["cam-1"] || !ids["cam-1#2"] {
			t.Errorf("scan ids %v, want cam-1 and cam-1#2", ids)
		}
		var again imageAnswer
		s.uploadImage(app, frame, fields, &again)
		var ms struct{ Movements []struct{} }
		s.call(app, "GET", "/api/v1/volumes/"+vols[0]+"/movements", nil, &ms)
		if len(ms.Movements) != 1 {
			t.Errorf("re-sent frame: %d movements, want 1", len(ms.Movements))
		}
		var dec imageAnswer
		if st := s.uploadImage(app, frame, map[string]string{"action": "decode"}, &dec); st != 200 || len(dec.Codes) != 2 || len(dec.Results) != 0 {
			t.Errorf("decode only: %d %+v", st, dec)
		}
		blank := frameWithLabels(t)
		if st := s.uploadImage(app, blank, fields, &ans); st != 422 || ans.Error == nil || ans.Error.Message == "" {
			t.Errorf("blank frame: %d %+v", st, ans.Error)
		}
		if st := s.uploadImage(app, []byte("this is not an image"), fields, nil); st != 415 {
			t.Errorf("text upload: %d, want 415", st)
		}
	})
}
