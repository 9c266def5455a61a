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

// claims are a token's claims: the registered ones, and the session the
// token belongs to (sid), which the server checks is still open on every
// request.
type claims struct {
	jwt.RegisteredClaims
	SessionID pulid.ID `json:"sid"`
}

// Issue returns a token for the member's session and when it expires.
func (t *Tokens) Issue(member, session pulid.ID) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   string(member),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		SessionID: session,
	})
	signed, err := token.SignedString(t.secret)
	return signed, exp, err
}

// Verify returns the member a valid token speaks for, and its session. A
// token without a session (issued before sessions existed) is invalid:
// nothing could end it.
func (t *Tokens) Verify(raw string) (member, session pulid.ID, err error) {
	var c claims
	_, err = jwt.ParseWithClaims(raw, &c,
		func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return "", "", ErrInvalidToken
	}
	member = pulid.ID(c.Subject)
	if !member.Valid() || !c.SessionID.Valid() {
		return "", "", ErrInvalidToken
	}
	return member, c.SessionID, nil
}

// WithClock makes the service judge expiry by now; for tests of expiry.
func (t *Tokens) WithClock(now func() time.Time) *Tokens {
	c := *t
	c.now = now
	return &c
}
