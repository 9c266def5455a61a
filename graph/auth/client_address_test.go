package auth

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddresses_TrustTheForwardedAddressOnlyFromATrustedPeer(t *testing.T) {
	c, err := NewClientAddresses("10.0.0.0/8, 2001:db8::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ peer, forwarded, want string }{
		{"203.0.113.5:1000", "", "203.0.113.5"},
		{"203.0.113.5:1000", "198.51.100.1", "203.0.113.5"},
		{"10.1.2.3:1000", "198.51.100.1", "198.51.100.1"},
		{"10.1.2.3:1000", "192.0.2.9, 198.51.100.1, 10.0.0.5", "198.51.100.1"},
		{"10.1.2.3:1000", "", "10.1.2.3"},
		{"10.1.2.3:1000", "not an address", "10.1.2.3"},
		{"[2001:db8::1]:443", "2001:db8:1::7", "2001:db8:1::7"},
		{"[2001:db8::2]:443", "198.51.100.1", "2001:db8::2"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.forwarded != "" {
			r.Header.Set("X-Forwarded-For", tc.forwarded)
		}
		if got := c.Of(r); got != tc.want {
			t.Errorf("peer %s, forwarded %q: got %q, want %q", tc.peer, tc.forwarded, got, tc.want)
		}
	}
	if _, err := NewClientAddresses("10.0.0.0/33"); err == nil {
		t.Error("a bad range must be refused at start")
	}
	var none *ClientAddresses
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "198.51.100.3:1"
	r.Header.Set("X-Forwarded-For", "192.0.2.1")
	if got := none.Of(r); got != "198.51.100.3" {
		t.Errorf("no configuration trusts no proxy: got %q", got)
	}
}

func TestAddressKey_IPv6CountsByItsSlash64(t *testing.T) {
	if addressKey("k", "2001:db8:1:2::1") != addressKey("k", "2001:db8:1:2:ffff::9") {
		t.Error("one /64 must share a count")
	}
	if addressKey("k", "2001:db8:1:2::1") == addressKey("k", "2001:db8:1:3::1") {
		t.Error("another /64 must count apart")
	}
	if addressKey("k", "198.51.100.1") == addressKey("k", "198.51.100.2") {
		t.Error("IPv4 addresses count one by one")
	}
}
