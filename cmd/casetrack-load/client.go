package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// client is a keep-alive HTTP client for one casetrack, as a device app
// would hold one.
type client struct {
	base  string
	auth  string
	httpc *http.Client
}

func newClient(base, token string, conns int) *client {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     time.Minute,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	return &client{base: base, auth: "Bearer " + token, httpc: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// wire opens a lean connection of its own for a timed phase's client
// (see wire); the URL was checked to be plain http on loopback.
func (c *client) wire() *wire { return newWire(c.base, c.auth) }

// post sends a JSON body and returns the status and the answer.
func (c *client) post(ctx context.Context, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.httpc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// mustPost is post for seeding, where anything but want is an error.
func (c *client) mustPost(ctx context.Context, path string, body []byte, want int) ([]byte, error) {
	status, out, err := c.post(ctx, path, body)
	if err != nil {
		return nil, err
	}
	if status != want {
		return nil, fmt.Errorf("POST %s: %d %s", path, status, out)
	}
	return out, nil
}

// loopbackURL reports whether u points at this machine's loopback.
func loopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" {
		return false
	}
	host := p.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
