package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"
)

// Rates are the limits on the anonymous sign-in operations, each a number
// of events per period; a Limit of 0 switches that limit off. The counts
// are kept per client address and per (address, account) pair, never per
// account alone: a limit per account would let a stranger lock its owner
// out by failing their password on purpose. One limit is a signed-in
// member's own: their emergency access searches.
type Rates struct {
	// LoginFailuresPerAddress bounds the failed logins from one address,
	// whatever the emails: spraying one password over many accounts. Only
	// failures count, so a clinic whose staff share one address is not
	// slowed by its own successful logins.
	LoginFailuresPerAddress limiter.Rate
	// LoginAttemptsPerPair bounds the logins to one account from one
	// address: guessing one account's password. Every attempt counts
	// before the password is checked, so concurrent guesses cannot slip
	// past; a success starts the count afresh.
	LoginAttemptsPerPair limiter.Rate
	// SignUpsPerAddress bounds the sign-ups from one address, each of which
	// creates a practice and can probe whether an email has an account.
	SignUpsPerAddress limiter.Rate
	// EmergencySearchesPerMember bounds the emergency access searches of
	// one member (policy §8): each can tell whether a person with a given
	// name and date of birth is a client, so a member may identify the few
	// people an emergency needs, never go through a list of names.
	EmergencySearchesPerMember limiter.Rate
	// PublicSubmissionsPerAddress bounds the intake forms and online
	// bookings sent from one address (policy §11): each creates a client.
	PublicSubmissionsPerAddress limiter.Rate
	// PublicSubmissionsPerTarget bounds the submissions to one intake link
	// or booking page from all addresses together: a flood spread over many
	// addresses still cannot bury a practice's triage list.
	PublicSubmissionsPerTarget limiter.Rate
}

// DefaultRates are the limits when none are configured.
var DefaultRates = Rates{
	LoginFailuresPerAddress: limiter.Rate{Period: 15 * time.Minute, Limit: 50},
	LoginAttemptsPerPair:    limiter.Rate{Period: 15 * time.Minute, Limit: 5},
	SignUpsPerAddress:       limiter.Rate{Period: time.Hour, Limit: 5},
	// A clinician in a crisis mistypes a name or two, and may look up
	// several people; thirty an hour is far from a list.
	EmergencySearchesPerMember: limiter.Rate{Period: time.Hour, Limit: 30},
	// A family filling in forms for three people from one home, a clinic's
	// reception tablet on a busy morning.
	PublicSubmissionsPerAddress: limiter.Rate{Period: time.Hour, Limit: 20},
	PublicSubmissionsPerTarget:  limiter.Rate{Period: time.Hour, Limit: 500},
}

// Limits counts sign-in events and emergency searches in a limiter store:
// in memory for one server, or in Redis (NewRedisStore) so that several
// replicas limit together.
type Limits struct {
	failures, pairs, signUps, searches *limiter.Limiter
	publicByAddress, publicByTarget    *limiter.Limiter
	// observer, if set, is told of every refusal (limits_observe.go).
	observer RefusalObserver
}

// NewLimits returns limits keeping their counts in store.
func NewLimits(store limiter.Store, r Rates) *Limits {
	return &Limits{
		failures: limiter.New(store, r.LoginFailuresPerAddress),
		pairs:    limiter.New(store, r.LoginAttemptsPerPair),
		signUps:  limiter.New(store, r.SignUpsPerAddress),
		searches: limiter.New(store, r.EmergencySearchesPerMember),

		publicByAddress: limiter.New(store, r.PublicSubmissionsPerAddress),
		publicByTarget:  limiter.New(store, r.PublicSubmissionsPerTarget),
	}
}

// NewMemoryLimits returns limits counting in this process's memory.
func NewMemoryLimits(r Rates) *Limits {
	return NewLimits(memory.NewStoreWithOptions(limiter.StoreOptions{Prefix: "caseload", CleanUpInterval: time.Minute}), r)
}

// RateLimitedError is a refusal by a limit: the API answers RATE_LIMITED,
// saying when to try again.
type RateLimitedError struct {
	// Limit names the limit that refused (LimitSignUp…), for metrics.
	Limit string
	// What was limited, for the message: "sign-ups from this address".
	What string
	// RetryAfter is when the count starts afresh.
	RetryAfter time.Duration
}

// Error implements error.
func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many %s; try again in %s", e.What, roundUp(e.RetryAfter))
}

// StoreError is a failure of the limiter store (Redis unreachable): the API
// answers UNAVAILABLE rather than admit logins it cannot count.
type StoreError struct{ Err error }

// Error implements error.
func (e *StoreError) Error() string { return "rate limit store: " + e.Err.Error() }

// Unwrap returns the store's error.
func (e *StoreError) Unwrap() error { return e.Err }

// BeginLogin counts a login attempt for email from addr, or refuses it when
// the address has failed too often or the pair has been tried too often.
func (l *Limits) BeginLogin(ctx context.Context, addr, email string) error {
	if l.failures.Rate.Limit > 0 {
		c, err := l.failures.Peek(ctx, addressKey("login-failures", addr))
		if err != nil {
			return &StoreError{err}
		}
		if c.Remaining == 0 {
			return l.refuse(LimitLoginAddress, "failed logins from this address", c)
		}
	}
	return l.count(ctx, l.pairs, pairKey(addr, email), LimitLoginAccount, "login attempts for this account from this address")
}

// LoginFailed records a failed login from addr.
func (l *Limits) LoginFailed(ctx context.Context, addr string) error {
	if l.failures.Rate.Limit == 0 {
		return nil
	}
	if _, err := l.failures.Increment(ctx, addressKey("login-failures", addr), 1); err != nil {
		return &StoreError{err}
	}
	return nil
}

// LoginSucceeded starts the pair's count afresh: whoever knows the password
// owes nothing for their earlier typos.
func (l *Limits) LoginSucceeded(ctx context.Context, addr, email string) error {
	if _, err := l.pairs.Reset(ctx, pairKey(addr, email)); err != nil {
		return &StoreError{err}
	}
	return nil
}

// BeginSignUp counts a sign-up from addr, or refuses it.
func (l *Limits) BeginSignUp(ctx context.Context, addr string) error {
	return l.count(ctx, l.signUps, addressKey("sign-ups", addr), LimitSignUp, "sign-ups from this address")
}

// BeginEmergencySearch counts an emergency access search by the member, or
// refuses it past their limit.
func (l *Limits) BeginEmergencySearch(ctx context.Context, memberID string) error {
	return l.count(ctx, l.searches, "emergency-searches:"+memberID, LimitEmergencySearch, "emergency access searches")
}

// BeginPublicSubmission counts an intake form or online booking submitted
// from addr, and refuses it past the address's limit or when target (a
// link or booking page) has taken its fill of submissions. Only
// PublicSubmissionWritten counts against the target, so that requests that
// write nothing (refused answers, taken slots, honeypots) cannot use up a
// page's submissions and lock genuine people out.
func (l *Limits) BeginPublicSubmission(ctx context.Context, addr, target string) error {
	if err := l.count(ctx, l.publicByAddress, addressKey("public-submissions", addr), LimitPublicAddress, "submissions from this address"); err != nil {
		return err
	}
	if l.publicByTarget.Rate.Limit == 0 {
		return nil
	}
	c, err := l.publicByTarget.Peek(ctx, "public-submissions-to:"+target)
	if err != nil {
		return &StoreError{err}
	}
	if c.Remaining == 0 {
		return l.refuse(LimitPublicTarget, "submissions to this page", c)
	}
	return nil
}

// PublicSubmissionWritten counts a submission to target that created a
// client.
func (l *Limits) PublicSubmissionWritten(ctx context.Context, target string) error {
	if l.publicByTarget.Rate.Limit == 0 {
		return nil
	}
	if _, err := l.publicByTarget.Increment(ctx, "public-submissions-to:"+target, 1); err != nil {
		return &StoreError{err}
	}
	return nil
}

// count adds one event under key and refuses it past the limit.
func (l *Limits) count(ctx context.Context, lim *limiter.Limiter, key, limit, what string) error {
	if lim.Rate.Limit == 0 {
		return nil
	}
	c, err := lim.Get(ctx, key)
	if err != nil {
		return &StoreError{err}
	}
	if c.Reached {
		return l.refuse(limit, what, c)
	}
	return nil
}

// refuse is the refusal by limit, whose count starts afresh at c.Reset.
func (l *Limits) refuse(limit, what string, c limiter.Context) error {
	if l.observer != nil {
		l.observer.Refused(limit)
	}
	return &RateLimitedError{Limit: limit, What: what, RetryAfter: max(time.Until(time.Unix(c.Reset, 0)), time.Second)}
}

// ipv6Subscriber is the mask of the /64 an IPv6 subscriber usually holds.
var ipv6Subscriber = net.CIDRMask(64, 128)

// addressKey names a client address's count. An IPv6 address counts by its
// /64, the block one subscriber usually holds, or changing the last bits
// would escape the limit.
func addressKey(kind, addr string) string {
	if ip := net.ParseIP(addr); ip != nil {
		if ip.To4() == nil {
			ip = ip.Mask(ipv6Subscriber)
		}
		addr = ip.String()
	}
	return kind + ":" + addr
}

// pairKey names an (address, account) pair's count. The email is hashed so
// that a shared store does not hold a list of who tried to log in.
func pairKey(addr, email string) string {
	sum := sha256.Sum256([]byte(email))
	return addressKey("login-pair", addr) + ":" + hex.EncodeToString(sum[:16])
}

// roundUp says a wait in whole minutes, or seconds under a minute.
func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int((d+time.Second-1)/time.Second))
	}
	return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
}
