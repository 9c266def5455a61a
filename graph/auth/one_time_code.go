package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewOneTimeCode returns a random code for an invitation, a password reset
// or a sign-up confirmation, and the hash to store: a leaked database
// reveals no usable code.
func NewOneTimeCode() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashOneTimeCode(token)
}

// HashOneTimeCode returns the stored form of a one-time code.
func HashOneTimeCode(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
