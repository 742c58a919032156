package web

import (
	"net/netip"
	"testing"
)

// The client is the connection's peer, or behind trusted proxies the
// rightmost X-Forwarded-For address that is not one of them: what a
// client writes into the header itself never counts.
func TestForwardedClient(t *testing.T) {
	t.Parallel()
	trusted := parseTrusted([]string{"10.0.0.1", "10.1.0.0/16", "::1", "bogus"})
	tests := []struct {
		name, peer, xff, want string
	}{
		{"NoProxy", "203.0.113.5", "", "203.0.113.5"},
		{"UntrustedPeerHeaderIgnored", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
		{"OneProxy", "10.0.0.1", "203.0.113.5", "203.0.113.5"},
		{"ProxyChain", "10.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"},
		{"ClientWroteItsOwn", "10.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"},
		{"ClientWroteGarbage", "10.0.0.1", "not-an-address, 203.0.113.5", "203.0.113.5"},
		{"AllTrustedTakesTheFarthest", "10.0.0.1", "10.1.0.9", "10.1.0.9"},
		{"ProxySentNoHeader", "10.0.0.1", "", "10.0.0.1"},
		{"ProxySentGarbage", "10.0.0.1", "garbage", "10.0.0.1"},
		{"IPv6", "::1", "2001:db8::7", "2001:db8::7"},
		{"IPv4InIPv6", "::ffff:10.0.0.1", "203.0.113.5", "203.0.113.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := forwardedClient(netip.MustParseAddr(tt.peer).Unmap(), tt.xff, trusted)
			if got != tt.want {
				t.Errorf("forwardedClient(%s, %q) = %s, want %s", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
}
