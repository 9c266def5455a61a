package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewInvitationToken returns a random token for an invitation link and the
// hash to store: a leaked database reveals no usable invitation.
func NewInvitationToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashInvitationToken(token)
}

// HashInvitationToken returns the stored form of an invitation token.
func HashInvitationToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
