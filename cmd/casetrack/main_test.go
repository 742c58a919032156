package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
)

// testServer is a casetrack started through Main, as the binary starts it,
// listening on a free loopback port.
type testServer struct {
	t   testing.TB
	m   *Main
	URL string
	dsn string
}

func startServer(t testing.TB, dialect string, args ...string) *testServer {
	t.Helper()
	return startServerOn(t, dbtest.DSN(t, dialect), args...)
}

// startServerOn is startServer on a database of the test's own making.
func startServerOn(t testing.TB, dsn string, args ...string) *testServer {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Getenv = func(string) string { return "" }
	if err := m.ParseFlags(append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return &testServer{t: t, m: m, URL: "http://" + m.Addr(), dsn: dsn}
}

// command runs a casetrack admin command on the server's database and
// returns what it printed.
func (s *testServer) command(stdin string, args ...string) (string, error) {
	m := NewMain()
	var out bytes.Buffer
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, io.Discard
	m.Getenv = func(k string) string {
		if k == "CASETRACK_DB" {
			return s.dsn
		}
		return ""
	}
	if err := m.ParseFlags(args); err != nil {
		return "", err
	}
	err := m.Run(context.Background())
	m.Close()
	return out.String(), err
}

// token creates a token with the role and returns it (the last line).
func (s *testServer) token(role string) string {
	s.t.Helper()
	out, err := s.command("", "token", "create", "--name", fmt.Sprintf("%s-%d", role, time.Now().UnixNano()), "--role", role)
	if err != nil {
		s.t.Fatalf("token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// call sends a request and decodes the JSON answer into out (if not nil),
// returning the status.
func (s *testServer) call(token, method, path string, body any, out any) int {
	s.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, s.URL+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

func forEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

type apiError struct {
	Error struct {
		Code, Message, Field string
	}
}

func decodeBody(t testing.TB, resp *http.Response, out any) {
	t.Helper()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%d %s: %v", resp.StatusCode, data, err)
		}
	}
}

// upload posts one file and some fields as a multipart form and decodes
// the JSON answer into out.
func (s *testServer) upload(token, path, field, name string, content []byte, fields map[string]string, out any) int {
	s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", s.URL+path, &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	decodeBody(s.t, resp, out)
	return resp.StatusCode
}
