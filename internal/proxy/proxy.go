// Package proxy tells who a request came from and whether it arrived over
// HTTPS, believing X-Forwarded-For and X-Forwarded-Proto only from the
// reverse proxies an operator named (--trusted-proxy).
package proxy

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Trust is the set of proxies whose forwarding headers are believed. The
// zero value trusts none.
type Trust struct{ nets []netip.Prefix }

// Parse reads a comma-separated list of addresses or CIDR prefixes
// ("127.0.0.1", "10.0.0.0/8, ::1").
func Parse(list string) (Trust, error) {
	var t Trust
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return Trust{}, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", s)
			}
			s = netip.PrefixFrom(a, a.BitLen()).String()
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return Trust{}, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", s)
		}
		t.nets = append(t.nets, p.Masked())
	}
	return t, nil
}

func (t Trust) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t.nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address of the TCP peer.
func peer(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// ClientIP is the address of the client: the TCP peer, or, when the peer
// is a trusted proxy, the right-most address of X-Forwarded-For that is not
// itself a trusted proxy.
func (t Trust) ClientIP(r *http.Request) netip.Addr {
	a := peer(r)
	if !t.trusts(a) {
		return a
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return a
		}
		if h = h.Unmap(); !t.trusts(h) {
			return h
		}
		a = h
	}
	return a
}

// Secure reports whether the client's connection is HTTPS: TLS here, or a
// trusted proxy that says so.
func (t Trust) Secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return t.trusts(peer(r)) && strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https")
}

// Loopback reports whether the client is this machine.
func (t Trust) Loopback(r *http.Request) bool { return t.ClientIP(r).IsLoopback() }
