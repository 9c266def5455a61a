package auth

import (
	"errors"
	"net/mail"
	"strings"
)

// ErrBadEmail is returned for an address that is not a plain email address.
var ErrBadEmail = errors.New("the email address is not valid")

// NormalizeEmail trims and lower-cases an email address and checks that it is
// a bare address, so that one person has one account whatever the casing.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 320 {
		return "", ErrBadEmail
	}
	return s, nil
}
