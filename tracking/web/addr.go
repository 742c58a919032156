package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientAddr is the address a request came from as casetrack believes it,
// for sign-in throttling: the connection's own (see forwardedClient).
func (s *Server) clientAddr(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return forwardedClient(peer.Unmap(), c.Get(fiber.HeaderXForwardedFor), s.trusted)
}

// forwardedClient is the client's address when the connection came from
// peer with the X-Forwarded-For header xff. A peer that is not a trusted
// proxy is the client. A trusted proxy appends the address it heard from
// to the header, so the client is the rightmost address that is not a
// trusted proxy: anything to its left was written by the client itself
// and proves nothing (taken as the client, it would give a password
// guesser a fresh allowance with every made-up address).
func forwardedClient(peer netip.Addr, xff string, trusted []netip.Prefix) string {
	client := peer
	for rest := xff; isTrusted(client, trusted); {
		var hop string
		if i := strings.LastIndexByte(rest, ','); i >= 0 {
			rest, hop = rest[:i], rest[i+1:]
		} else {
			rest, hop = "", rest
		}
		a, err := netip.ParseAddr(strings.TrimSpace(hop))
		if err != nil {
			break // no more hops, or one no proxy wrote: the last trusted hop is as far as we can see
		}
		client = a.Unmap()
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseTrusted reads the trusted proxies' addresses and CIDRs; entries
// that are neither are left out (the configuration names them).
func parseTrusted(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}
