package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"caseload/ent/schema/pulid"
)

const issuer = "caseload"

// ErrInvalidToken covers every token that must not authenticate: forged,
// expired, malformed or for another issuer. The API does not say which.
var ErrInvalidToken = errors.New("invalid or expired token")

// Tokens issues and verifies signed bearer tokens (HS256 JWTs).
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a token service. The secret must be at least 32 bytes.
func NewTokens(secret []byte, ttl time.Duration) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("the token secret must be at least 32 bytes")
	}
	return &Tokens{secret: secret, ttl: ttl, now: time.Now}, nil
}

// Issue returns a token for the member and when it expires.
func (t *Tokens) Issue(member pulid.ID) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   string(member),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	})
	signed, err := token.SignedString(t.secret)
	return signed, exp, err
}

// Verify returns the member a valid token speaks for.
func (t *Tokens) Verify(raw string) (pulid.ID, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims,
		func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return "", ErrInvalidToken
	}
	id := pulid.ID(claims.Subject)
	if !id.Valid() {
		return "", ErrInvalidToken
	}
	return id, nil
}

// WithClock makes the service judge expiry by now; for tests of expiry.
func (t *Tokens) WithClock(now func() time.Time) *Tokens {
	c := *t
	c.now = now
	return &c
}
