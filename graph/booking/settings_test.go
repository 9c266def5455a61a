package booking

import (
	"slices"
	"strings"
	"testing"
)

// The origins a practice lets embed its pages go into the
// content-security policy as they are: anything that could add a directive
// or widen it is refused.
func TestCheckFrameAncestors_OnlyPlainOrigins(t *testing.T) {
	got, err := CheckFrameAncestors([]string{"https://www.Clinic.example", "https://clinic.example:8443", "http://LOCALHOST:3000", "https://xn--bcher-kva.example"})
	if err != nil || !slices.Equal(got, []string{"https://www.clinic.example", "https://clinic.example:8443", "http://localhost:3000", "https://xn--bcher-kva.example"}) {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"*", "https://*.example", "https://a.example; script-src *", "https://a.example/path", "http://clinic.example",
		"'self'", "data:", "https://user@a.example", "https://a.example?x", "javascript:alert(1)", "https://a.example 'unsafe-inline'", "", "https://a.example,https://b.example", "https://:443",
		"https://a.example:99999", "https://bücher.example", "https://a<b>.example", "https://a.example:08443"} {
		if _, err := CheckFrameAncestors([]string{bad}); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := CheckFrameAncestors(strings.Split(strings.Repeat("https://a.example,", MaxFrameAncestors+1), ",")[:MaxFrameAncestors+1]); err == nil {
		t.Error("too many origins accepted")
	}
}

func TestManageToken_OnlyTheKeysOwnSignatureOpensAnAppointment(t *testing.T) {
	s := &Service{Key: []byte("0123456789abcdef0123456789abcdef")}
	other := &Service{Key: []byte("fedcba9876543210fedcba9876543210")}
	token := s.ManageToken("AP01ABC")
	if id, ok := s.appointmentOf(token); !ok || id != "AP01ABC" {
		t.Fatalf("a token opens its appointment: %v %v", id, ok)
	}
	for _, bad := range []string{other.ManageToken("AP01ABC"), "AP01ABD" + token[len("AP01ABC"):], token[:len(token)-1], "AP01ABC", "", "." + token} {
		if _, ok := s.appointmentOf(bad); ok {
			t.Errorf("%q opened an appointment", bad)
		}
	}
}
