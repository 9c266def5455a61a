package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter slows password guessing: each email address gets a small
// burst of attempts, then one attempt per interval.
type LoginLimiter struct {
	mu       sync.Mutex
	limiters map[string]*entry
	every    time.Duration
	burst    int
}

type entry struct {
	limiter *rate.Limiter
	seen    time.Time
}

// NewLoginLimiter allows burst attempts per key, refilled one per every.
func NewLoginLimiter(every time.Duration, burst int) *LoginLimiter {
	return &LoginLimiter{limiters: map[string]*entry{}, every: every, burst: burst}
}

// Allow reports whether another attempt for key may go ahead now.
func (l *LoginLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.limiters) > 100_000 {
		l.prune(now)
	}
	e, ok := l.limiters[key]
	if !ok {
		e = &entry{limiter: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.limiters[key] = e
	}
	e.seen = now
	return e.limiter.AllowN(now, 1)
}

// prune forgets keys idle long enough to have refilled, bounding memory.
func (l *LoginLimiter) prune(now time.Time) {
	idle := l.every * time.Duration(l.burst)
	for k, e := range l.limiters {
		if now.Sub(e.seen) > idle {
			delete(l.limiters, k)
		}
	}
}
