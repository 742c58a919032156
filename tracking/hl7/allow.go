package hl7

import (
	"fmt"
	"net/netip"
	"strings"
)

// DefaultAllow is who may connect when no allow list is given: the
// interface engine on the same machine.
const DefaultAllow = "127.0.0.1"

// ParseAllow reads a comma-separated list of addresses and CIDR prefixes
// ("127.0.0.1, 10.20.0.0/16") into the prefixes a Server admits. An
// address alone admits that address only.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := parsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("hl7 allow list: %q is not an address or CIDR prefix", part)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// admits reports whether an address is on the allow list.
func admits(allow []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
