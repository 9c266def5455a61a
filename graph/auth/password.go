package auth

import (
	"context"
	"errors"
	"strings"
	"time"
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

// Hasher hashes passwords with Argon2id, a memory-hard function. Each hash
// takes params.Memory KiB (64 MiB by default), so hashing is admitted
// through a bounded queue: a few run at once, and a request that cannot
// start within a short wait is refused with ErrBusy at once rather than
// queued for seconds behind a flood of logins.
type Hasher struct {
	params *argon2id.Params
	queue  *hashQueue
	// observer, if set, is told each hash's wait (password_queue.go).
	observer QueueObserver
}

// ErrBusy is returned when every hashing slot stayed taken for the whole
// wait: the API answers RATE_LIMITED, and the caller tries again shortly.
var ErrBusy = errors.New("the server is busy checking passwords; try again in a few seconds")

// Defaults of the hashing queue: Argon2id's working memory is bounded to
// 4 × 64 MiB, and a request waits at most a quarter of a second for a slot,
// about the time one hash takes.
const (
	DefaultHashSlots = 4
	DefaultHashWait  = 250 * time.Millisecond
)

// NewHasher returns a hasher with the library's recommended parameters and
// the default queue.
func NewHasher() *Hasher {
	return newHasher(argon2id.DefaultParams)
}

// NewFastHasher returns a hasher with minimal parameters, for tests and demo
// data only: it keeps suites fast and must never hash real passwords.
func NewFastHasher() *Hasher {
	return newHasher(&argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
}

// NewHasherWithParams returns a hasher with the given Argon2id parameters
// and the default queue: for operators who tune the cost, and for tests
// that need hashing slow enough to fill the queue.
func NewHasherWithParams(p *argon2id.Params) *Hasher { return newHasher(p) }

func newHasher(p *argon2id.Params) *Hasher {
	return &Hasher{params: p, queue: newHashQueue(DefaultHashSlots, DefaultHashWait)}
}

// WithQueue returns a hasher with the same parameters whose queue admits
// slots hashes at once and makes a request wait at most wait for one.
func (h *Hasher) WithQueue(slots int, wait time.Duration) *Hasher {
	return &Hasher{params: h.params, queue: newHashQueue(slots, wait)}
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

// Hash returns the encoded hash of password, with its parameters and salt,
// admitted through the queue like any request's; for seeding and fixtures,
// which hash one at a time.
func (h *Hasher) Hash(password string) (string, error) {
	return h.HashContext(context.Background(), password)
}

// HashContext is Hash for a request: ErrBusy when no slot frees up in time.
func (h *Hasher) HashContext(ctx context.Context, password string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return argon2id.CreateHash(password, h.params)
}

// Verify reports whether password matches the encoded hash; an empty or
// malformed hash never matches. It fails with ErrBusy when no slot frees
// up in time.
func (h *Hasher) Verify(ctx context.Context, password, hash string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok, nil
}
