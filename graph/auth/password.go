package auth

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password limits. The minimum follows NIST SP 800-63B for memorised
// secrets; the maximum bounds the hashing work an attacker can ask for.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// ErrWeakPassword is returned for a password the policy refuses.
var ErrWeakPassword = errors.New("the password must have at least 10 characters and must not contain the email address")

// Hasher hashes passwords with Argon2id, a memory-hard function.
type Hasher struct {
	params *argon2id.Params
	// slots bounds concurrent hashes: each takes params.Memory KiB (64 MiB
	// by default), so a flood of logins must queue, not exhaust memory.
	slots chan struct{}
}

// maxConcurrentHashes bounds Argon2id's working memory to 4 × 64 MiB.
const maxConcurrentHashes = 4

// NewHasher returns a hasher with the library's recommended parameters.
func NewHasher() *Hasher {
	return &Hasher{params: argon2id.DefaultParams, slots: make(chan struct{}, maxConcurrentHashes)}
}

// NewFastHasher returns a hasher with minimal parameters, for tests and demo
// data only: it keeps suites fast and must never hash real passwords.
func NewFastHasher() *Hasher {
	return &Hasher{
		params: &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		slots:  make(chan struct{}, maxConcurrentHashes),
	}
}

func (h *Hasher) acquire() func() {
	h.slots <- struct{}{}
	return func() { <-h.slots }
}

// CheckStrength refuses passwords that are too short, too long or that
// contain the account's email.
func CheckStrength(password, email string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength || n > MaxPasswordLength {
		return ErrWeakPassword
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if local != "" && strings.Contains(strings.ToLower(password), local) {
		return ErrWeakPassword
	}
	return nil
}

// Hash returns the encoded hash of password, with its parameters and salt.
func (h *Hasher) Hash(password string) (string, error) {
	defer h.acquire()()
	return argon2id.CreateHash(password, h.params)
}

// Verify reports whether password matches the encoded hash. An empty or
// malformed hash never matches.
func (h *Hasher) Verify(password, hash string) bool {
	if hash == "" {
		return false
	}
	defer h.acquire()()
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
