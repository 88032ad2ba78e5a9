package proxy

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestClientIPAndSecure(t *testing.T) {
	trust, err := Parse("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer, xff, proto string
		tls                    bool
		ip                     string
		secure                 bool
	}{
		{"direct client", "203.0.113.9:5555", "", "", false, "203.0.113.9", false},
		{"untrusted peer's headers ignored", "203.0.113.9:5555", "127.0.0.1", "https", false, "203.0.113.9", false},
		{"trusted proxy forwards", "10.1.2.3:80", "198.51.100.7", "https", false, "198.51.100.7", true},
		{"spoofed left-most hop ignored", "10.1.2.3:80", "127.0.0.1, 198.51.100.7", "http", false, "198.51.100.7", false},
		{"chain of trusted proxies", "127.0.0.1:80", "198.51.100.7, 10.9.9.9", "https", false, "198.51.100.7", true},
		{"garbage header", "10.1.2.3:80", "not-an-ip", "", false, "10.1.2.3", false},
		{"TLS here", "203.0.113.9:5555", "", "", true, "203.0.113.9", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.peer
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			if c.proto != "" {
				r.Header.Set("X-Forwarded-Proto", c.proto)
			}
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := trust.ClientIP(r).String(); got != c.ip {
				t.Errorf("ClientIP = %s, want %s", got, c.ip)
			}
			if got := trust.Secure(r); got != c.secure {
				t.Errorf("Secure = %v, want %v", got, c.secure)
			}
		})
	}
	if _, err := Parse("10.0.0.0/8, nonsense"); err == nil {
		t.Fatal("Parse accepted nonsense")
	}
}
