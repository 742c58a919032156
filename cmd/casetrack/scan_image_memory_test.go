//go:build linux

package main

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
)

// pngBomb is a small PNG that declares side x side pixels of 16-bit RGBA,
// every pixel zero: deflate packs it a thousand to one, so a few hundred
// KB claim hundreds of MB once decoded.
func pngBomb(t *testing.T, side int) []byte {
	t.Helper()
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := make([]byte, 1+side*8)
	for range side {
		zw.Write(row)
	}
	zw.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(side))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(side))
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16-bit RGBA, not interlaced
	for _, c := range []struct {
		name string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		binary.Write(&out, binary.BigEndian, uint32(len(c.data)))
		chunk := append([]byte(c.name), c.data...)
		out.Write(chunk)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	}
	return out.Bytes()
}

// memoryMB reads one of a process's memory figures from /proc, in MB:
// VmHWM, the most it has had resident, or VmRSS, what it has now.
func memoryMB(t *testing.T, pid int, field string) int {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatalf("%s %q: %v", field, rest, err)
			}
			return kb / 1024
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

// resetPeakRSS starts VmHWM again from the resident memory now.
func resetPeakRSS(t *testing.T, pid int) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		t.Fatal(err)
	}
}

// bombAnswer is what one upload of a bomb got.
type bombAnswer struct {
	status     int
	retryAfter string
	took       time.Duration
	err        error
}

// sendBombs posts the image n times at once to the built server, as a
// camera frame when camera is set, and returns the answers.
func sendBombs(p *crashProc, token string, img []byte, n int, camera bool) []bombAnswer {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("action", "decode")
	fw, _ := w.CreateFormFile("image", "bomb.png")
	fw.Write(img)
	w.Close()
	out := make([]bombAnswer, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", p.url+"/api/v1/scans/image", bytes.NewReader(body.Bytes()))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", w.FormDataContentType())
			if camera {
				req.Header.Set("X-Casetrack-Channel", "camera")
			}
			start := time.Now()
			resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
			out[i] = bombAnswer{took: time.Since(start), err: err}
			if err == nil {
				out[i].status, out[i].retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	return out
}

// TestImageBombMemory sends four image bombs at once to the built server,
// as photos and then as camera frames, and reads the server's peak
// resident memory for each: decoding within the memory budget keeps it
// under 256 MB. Each bomb is a blank image, so it is answered 422 (no
// barcode), or 503 with Retry-After when the budget was taken by the
// others for longer than a decode may wait.
func TestImageBombMemory(t *testing.T) {
	bin := crashBinary(t)
	dsn := dbtest.DSN(t, "sqlite")
	token := crashToken(t, bin, dsn)
	p := crashStart(t, bin, dsn)
	pid := p.cmd.Process.Pid
	bomb := pngBomb(t, 6320)
	for _, camera := range []bool{false, true} {
		resetPeakRSS(t, pid)
		before := memoryMB(t, pid, "VmRSS")
		for i, a := range sendBombs(p, token, bomb, 4, camera) {
			t.Logf("camera %v, upload %d: %d in %v", camera, i, a.status, a.took.Round(time.Millisecond))
			if a.err != nil || a.status != 422 && (a.status != 503 || a.retryAfter == "") {
				t.Errorf("camera %v, upload %d: %d (Retry-After %q) %v\n%s", camera, i, a.status, a.retryAfter, a.err, p.log)
			}
		}
		peak := memoryMB(t, pid, "VmHWM")
		t.Logf("camera %v: %d KB PNG, 6320x6320 16-bit RGBA, 4 at once: peak RSS %d MB (%d MB before, %d MB after)",
			camera, len(bomb)/1024, peak, before, memoryMB(t, pid, "VmRSS"))
		if peak >= 256 {
			t.Errorf("camera %v: peak RSS %d MB with four image bombs at once, want under 256 MB", camera, peak)
		}
	}
}

// An image that alone would need more than the decoding budget is
// refused with 413 before it is decoded: this GIF is its header alone,
// claiming 6320 x 6320 pixels (40 MB of palette indexes, then grey).
func TestImageOverBudgetIs413(t *testing.T) {
	s := startServer(t, "sqlite")
	gifHeader := append([]byte("GIF89a"), 0xb0, 0x18, 0xb0, 0x18, 0, 0, 0)
	var ans imageAnswer
	if st := s.uploadImage(s.token("device"), gifHeader, map[string]string{"action": "decode"}, &ans); st != 413 ||
		ans.Error == nil || !strings.Contains(ans.Error.Message, "MB of memory") {
		t.Errorf("GIF bomb header: %d %+v, want 413 saying how much memory it needs", st, ans.Error)
	}
}
