package auth

import (
	"crypto/hmac"
	"crypto/sha256"
)

// Key derives a key for one purpose from the token secret (HMAC-SHA256 of
// the purpose), so that other signed values, such as the link that lets a
// person who booked online manage their appointment, need no secret of
// their own and never share a key with login tokens.
func (t *Tokens) Key(purpose string) []byte {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte("caseload key: " + purpose))
	return m.Sum(nil)
}
