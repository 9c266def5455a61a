package policytest

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"caseload/ent/practice"
	"caseload/ent/session"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// Policy §2 and the contract's sign-in limits: logins are limited per
// client address and per (address, account) pair, never per account alone,
// so that no stranger can lock a member out; password hashing is admitted
// through a bounded queue; sign-up is limited per address and can be
// switched off.

// withRates is a server option: sign-in limits in memory with rates r.
func withRates(r auth.Rates) func(*server.Options) {
	return func(o *server.Options) { o.SignInLimits = auth.NewMemoryLimits(r) }
}

// tryLogin tries a login from e's client and returns the answer.
func tryLogin(e *graphtest.Env, email, password string) *graphtest.Response {
	return e.Do("", loginMutation, map[string]any{"e": email, "pw": password})
}

// requireRateLimited fails unless r is RATE_LIMITED with a retryAfter.
func requireRateLimited(t *testing.T, r *graphtest.Response) {
	t.Helper()
	if after, _ := requireCode(t, r, "RATE_LIMITED").Extensions["retryAfter"].(float64); after < 1 {
		t.Fatalf("a refusal says when to try again: %+v", r.Errors[0])
	}
}

func TestLogin_StrangersFailuresFromAnotherAddress_DoNotLockTheOwnerOut(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	stranger := e.From("203.0.113.66:50000")
	for range 5 {
		requireCode(t, tryLogin(stranger, m.Email, "guess guess guess"), "UNAUTHENTICATED")
	}
	requireRateLimited(t, tryLogin(stranger, m.Email, "guess guess guess"))
	// Even the right password waits, from the stranger's address only.
	requireRateLimited(t, tryLogin(stranger, m.Email, passphrase))
	tryLogin(e.From("198.51.100.7:40000"), m.Email, passphrase).RequireNoErrors(t)
}

func TestLogin_SuccessStartsTheAccountsCountAfresh(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	for range 3 {
		for range 4 {
			requireCode(t, tryLogin(e, m.Email, "a typo in it"), "UNAUTHENTICATED")
		}
		tryLogin(e, m.Email, passphrase).RequireNoErrors(t)
	}
}

func TestLogin_SprayingOnePasswordOverManyEmails_LimitedPerAddress(t *testing.T) {
	rates := auth.DefaultRates
	rates.LoginFailuresPerAddress.Limit = 5
	e := graphtest.New(t, withRates(rates))
	m := withPassword(t, e, e.Practice(), passphrase)
	sprayer := e.From("203.0.113.9:1000")
	for i := range 5 {
		requireCode(t, tryLogin(sprayer, fmt.Sprintf("user%d@test.example", i), "Summer2026!!"), "UNAUTHENTICATED")
	}
	requireRateLimited(t, tryLogin(sprayer, "user9@test.example", "Summer2026!!"))
	requireRateLimited(t, tryLogin(sprayer, m.Email, passphrase))
	tryLogin(e.From("198.51.100.20:1000"), m.Email, passphrase).RequireNoErrors(t)
}

func TestLogin_ClientAddressIsTheForwardedOneOnlyBehindATrustedProxy(t *testing.T) {
	rates := auth.DefaultRates
	rates.LoginFailuresPerAddress.Limit = 3
	proxies, err := auth.NewClientAddresses("10.0.0.0/8, 192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	e := graphtest.New(t, withRates(rates), func(o *server.Options) { o.ClientAddresses = proxies })
	m := withPassword(t, e, e.Practice(), passphrase)
	via := func(forwarded string) *graphtest.Env {
		return e.From("10.0.0.2:443", "X-Forwarded-For", forwarded, "User-Agent", "CaseloadTest/1.0")
	}
	for range 3 {
		requireCode(t, tryLogin(via("198.51.100.1"), "nobody@test.example", "wrong password"), "UNAUTHENTICATED")
	}
	requireRateLimited(t, tryLogin(via("198.51.100.1"), m.Email, passphrase))
	// Another client behind the same proxy has its own count; the address
	// is the rightmost one that is not a trusted proxy.
	tryLogin(via("198.51.100.2, 10.0.0.7"), m.Email, passphrase).RequireNoErrors(t)
	s := e.Client().Session.Query().Where(session.MemberIDEQ(m.ID)).OnlyX(e.Ctx)
	if s.ClientAddress != "198.51.100.2" || s.UserAgent != "CaseloadTest/1.0" {
		t.Fatalf("the session must record the client: %q %q", s.ClientAddress, s.UserAgent)
	}
	// A peer that is not a trusted proxy cannot choose its address.
	for i := range 3 {
		forged := e.From("203.0.113.50:1000", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 100+i))
		requireCode(t, tryLogin(forged, "nobody@test.example", "wrong password"), "UNAUTHENTICATED")
	}
	requireRateLimited(t, tryLogin(e.From("203.0.113.50:1000", "X-Forwarded-For", "198.51.100.200"), m.Email, passphrase))
}

func TestLogin_HashingQueueFull_AnswersRateLimitedQuickly(t *testing.T) {
	// A hash slow enough (seconds) to hold the only slot through the burst.
	slow := auth.NewHasherWithParams(&argon2id.Params{Memory: 16 * 1024, Iterations: 300, Parallelism: 1, SaltLength: 16, KeyLength: 32}).
		WithQueue(1, 50*time.Millisecond)
	e := graphtest.New(t, func(o *server.Options) { o.Hasher = slow })
	m := withPassword(t, e, e.Practice(), passphrase)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = slow.Hash("another member's new password") }()
	for deadline := time.Now().Add(5 * time.Second); slow.Running() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the background hash never started")
		}
	}
	const burst = 6
	answers, took := make([]*graphtest.Response, burst), make([]time.Duration, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			start := time.Now()
			answers[i] = tryLogin(e.From(fmt.Sprintf("198.51.100.%d:1000", i+1)), m.Email, passphrase)
			took[i] = time.Since(start)
		})
	}
	wg.Wait()
	if slow.Running() != 1 {
		t.Fatal("the background hash ended before the burst did: the queue was never full")
	}
	for i, r := range answers {
		requireRateLimited(t, r)
		if took[i] > 2*time.Second {
			t.Fatalf("a refused login must answer quickly, not queue: %s", took[i])
		}
	}
	<-done
	tryLogin(e, m.Email, passphrase).RequireNoErrors(t)
}

func TestSignUp_LimitedPerAddress(t *testing.T) {
	rates := auth.DefaultRates
	rates.SignUpsPerAddress.Limit = 2
	e := graphtest.New(t, withRates(rates))
	for i := range 2 {
		signUp(e, fmt.Sprintf("owner%d@test.example", i), passphrase).RequireNoErrors(t)
	}
	requireRateLimited(t, signUp(e, "owner9@test.example", passphrase))
	signUp(e.From("198.51.100.30:1000"), "owner9@test.example", passphrase).RequireNoErrors(t)
}

func TestSignUp_SwitchedOff_ForbiddenButInvitationsStillWork(t *testing.T) {
	e := graphtest.New(t, func(o *server.Options) { o.SignUpOff = true })
	requireCode(t, signUp(e, "owner@test.example", passphrase), "FORBIDDEN")
	if n := e.Client().Practice.Query().Where(practice.NameEQ("Bayside Therapy")).CountX(e.Ctx); n != 0 {
		t.Fatal("a refused sign-up must write nothing")
	}
	p := e.Practice()
	r := e.As(e.Member(p, graphtest.Admin()), inviteMutation, map[string]any{"in": map[string]any{"name": "New", "email": "new@test.example", "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)
	e.Do("", `mutation($t: String!) { acceptInvitation(token: $t, password: "a long enough passphrase") { token } }`, map[string]any{"t": inv.InviteMember.Token}).RequireNoErrors(t)
}

func TestAcceptInvitation_TakenAddress_AnsweredAsAnInvalidToken_WhateverThePassword(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	elsewhere := e.Member(e.Practice())
	r := e.As(e.Member(p, graphtest.Admin()), inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": elsewhere.Email, "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)
	accept := `mutation($t: String!, $pw: String!) { acceptInvitation(token: $t, password: $pw) { token } }`
	invalid := requireCode(t, e.Do("", accept, map[string]any{"t": "not-a-token", "pw": "short"}), "BAD_USER_INPUT")
	for _, pw := range []string{"short", "a long enough passphrase"} {
		if got := requireCode(t, e.Do("", accept, map[string]any{"t": inv.InviteMember.Token, "pw": pw}), "BAD_USER_INPUT"); got.Message != invalid.Message {
			t.Fatalf("password %q: %q, want %q", pw, got.Message, invalid.Message)
		}
	}
}

func TestChangePassword_WrongCurrentPassword_CountsAsAFailedLogin(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	token := e.Token(m)
	for range 5 {
		requireCode(t, e.Do(token, changePasswordMutation, map[string]any{"c": "a guess at it", "n": "a brand new passphrase"}), "BAD_USER_INPUT")
	}
	requireRateLimited(t, e.Do(token, changePasswordMutation, map[string]any{"c": passphrase, "n": "a brand new passphrase"}))
}

// redisURL is the Redis server of the shared-store test; like PostgreSQL,
// one that cannot be reached fails the test.
func redisURL() string {
	if u := os.Getenv("CASELOAD_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

func TestLoginLimits_InRedis_AreSharedByEveryServer(t *testing.T) {
	store, closer, err := auth.NewRedisStore(t.Context(), redisURL(), fmt.Sprintf("caseload-test:%d:%d", os.Getpid(), time.Now().UnixNano()))
	if err != nil {
		t.Fatalf("Redis at %s is not reachable (the test never skips): %v", redisURL(), err)
	}
	limits := auth.NewLimits(store, auth.DefaultRates)
	db := graphtest.OpenDB(t)
	shared := func(o *server.Options) { o.SignInLimits = limits }
	one, two := graphtest.NewOn(t, db, shared), graphtest.NewOn(t, db, shared)
	m := withPassword(t, one, one.Practice(), passphrase)
	for range 5 {
		requireCode(t, tryLogin(one, m.Email, "a guess at it"), "UNAUTHENTICATED")
	}
	requireRateLimited(t, tryLogin(two, m.Email, passphrase))
	tryLogin(two.From("198.51.100.40:1000"), m.Email, passphrase).RequireNoErrors(t)
	// Limits that cannot be counted admit no one: UNAVAILABLE, retryable.
	_ = closer.Close()
	requireCode(t, tryLogin(two.From("198.51.100.41:1000"), m.Email, passphrase), "UNAVAILABLE")
}
