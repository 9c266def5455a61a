package auth

// The names of the limits, as RateLimitedError.Limit and the server's
// rate-limit metrics label them: a fixed set, so that a label never
// carries an address, an account or a member.
const (
	// LimitLoginAddress is Rates.LoginFailuresPerAddress.
	LimitLoginAddress = "login_address"
	// LimitLoginAccount is Rates.LoginAttemptsPerPair.
	LimitLoginAccount = "login_account"
	// LimitSignUp is Rates.SignUpsPerAddress.
	LimitSignUp = "signup"
	// LimitEmergencySearch is Rates.EmergencySearchesPerMember.
	LimitEmergencySearch = "emergency_search"
	// LimitPublicAddress is Rates.PublicSubmissionsPerAddress.
	LimitPublicAddress = "public_address"
	// LimitPublicTarget is Rates.PublicSubmissionsPerTarget.
	LimitPublicTarget = "public_target"
	// LimitHashQueue is the password hashing queue (Hasher): no slot
	// freed up within the wait.
	LimitHashQueue = "hash_queue"
)

// RefusalObserver is told of every refusal by the limits, for the server's
// metrics. It must be quick and safe for concurrent use.
type RefusalObserver interface {
	// Refused is called once per refusal with the limit's name (Limit…).
	Refused(limit string)
}

// Observed returns limits counting in the same store, under the same
// rates, that report each refusal to o: the server's metrics observe the
// limits they are given without changing them for anyone else.
func (l *Limits) Observed(o RefusalObserver) *Limits {
	c := *l
	c.observer = o
	return &c
}
