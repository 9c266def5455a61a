package booking

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"caseload/ent/schema/forms"
	"caseload/graph/errcode"
)

// Limits on what a practice publishes.
const (
	MaxAppointmentTypes = 20
	MaxFrameAncestors   = 10
	MaxPractitioners    = 100
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// CheckSlug checks a booking page's address: 2 to 63 lower-case letters,
// digits and -, starting with a letter or digit; not "manage".
func CheckSlug(slug string) error {
	// "manage" is the booking page's own address for managing a booking.
	if !slugPattern.MatchString(slug) || slug == "manage" {
		return bad("a booking address has 2 to 63 lower-case letters, digits and -, and starts with a letter or digit")
	}
	return nil
}

// CheckAppointmentTypes checks the types a practice offers online.
func CheckAppointmentTypes(types []forms.AppointmentType) ([]forms.AppointmentType, error) {
	if len(types) > MaxAppointmentTypes {
		return nil, bad("a practice offers at most %d appointment types online", MaxAppointmentTypes)
	}
	seen := map[string]bool{}
	out := make([]forms.AppointmentType, 0, len(types))
	for _, t := range types {
		name := strings.TrimSpace(t.Name)
		if name == "" || len(name) > 100 || strings.ContainsAny(name, "\r\n\t") {
			return nil, bad("an appointment type's name is one line of 1 to 100 characters")
		}
		if seen[strings.ToLower(name)] {
			return nil, bad("the appointment type %q is offered twice", name)
		}
		seen[strings.ToLower(name)] = true
		if t.Minutes < 5 || t.Minutes > 480 {
			return nil, bad("an appointment lasts 5 to 480 minutes")
		}
		out = append(out, forms.AppointmentType{Name: name, Minutes: t.Minutes})
	}
	return out, nil
}

// hostPattern is a DNS name or IPv4 address in ASCII: an origin goes into
// the content-security policy as written, so nothing else may (a comma or
// semicolon would start another policy or directive, a * would widen it).
var hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// CheckFrameAncestors checks the origins allowed to embed the public pages
// (the content-security policy's frame-ancestors): https origins, or http
// for localhost while a clinic builds its website. A host that is not ASCII
// is written in its xn-- form.
func CheckFrameAncestors(origins []string) ([]string, error) {
	if len(origins) > MaxFrameAncestors {
		return nil, bad("at most %d origins may embed the public pages", MaxFrameAncestors)
	}
	out := make([]string, 0, len(origins))
	for _, o := range origins {
		if err := checkOrigin(strings.ToLower(strings.TrimSpace(o))); err != nil {
			return nil, bad("%.200q is not an origin such as https://www.example.com (%s)", o, err)
		}
		out = append(out, strings.ToLower(strings.TrimSpace(o)))
	}
	return out, nil
}

// checkOrigin checks one lower-cased origin: scheme://host[:port].
func checkOrigin(o string) error {
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		return errors.New("no scheme")
	}
	host, port, hasPort := strings.Cut(rest, ":")
	if !hostPattern.MatchString(host) {
		return errors.New("the host must be a plain name; write an international name in its xn-- form")
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return errors.New("the port must be a number from 1 to 65535")
		}
	}
	local := host == "localhost" || host == "127.0.0.1"
	if scheme != "https" && !(scheme == "http" && local) {
		return errors.New("https only, or http for localhost")
	}
	return nil
}

// CheckPeriods checks the notice, horizon and buffer.
func CheckPeriods(noticeMinutes, horizonDays, bufferMinutes *int) error {
	switch {
	case noticeMinutes != nil && (*noticeMinutes < 0 || *noticeMinutes > 30*24*60):
		return bad("the minimum notice is 0 to 43200 minutes (30 days)")
	case horizonDays != nil && (*horizonDays < 1 || *horizonDays > 365):
		return bad("the booking horizon is 1 to 365 days")
	case bufferMinutes != nil && (*bufferMinutes < 0 || *bufferMinutes > 240):
		return bad("the buffer between appointments is 0 to 240 minutes")
	}
	return nil
}

func bad(format string, args ...any) error {
	return errcode.New(errcode.BadUserInput, fmt.Sprintf(format, args...))
}
