package auth

import (
	"context"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// hashQueue admits hashes a few at a time (Hasher). Hashers made from one
// another by Observed share it, so that every view counts the same slots.
type hashQueue struct {
	slots *semaphore.Weighted
	wait  time.Duration
	// running and waiting are the hashes holding a slot and those waiting
	// for one, for metrics and tests.
	running, waiting atomic.Int64
}

func newHashQueue(slots int, wait time.Duration) *hashQueue {
	return &hashQueue{slots: semaphore.NewWeighted(int64(max(slots, 1))), wait: wait}
}

// QueueObserver is told how long each hash waited for its slot, for the
// server's metrics. It must be quick and safe for concurrent use.
type QueueObserver interface {
	// HashWaited is called once per hash asked for: admitted, after waiting
	// wait for a slot (0 when one was free), or refused with ErrBusy after
	// waiting the whole wait. A caller that gave up first is not reported.
	HashWaited(wait time.Duration, admitted bool)
}

// Observed returns a hasher sharing h's parameters and queue that reports
// each wait to o: the server's metrics observe the hasher they are given
// without changing it for anyone else who holds it.
func (h *Hasher) Observed(o QueueObserver) *Hasher {
	return &Hasher{params: h.params, queue: h.queue, observer: o}
}

// Running returns how many hashes run now, for metrics and tests.
func (h *Hasher) Running() int { return int(h.queue.running.Load()) }

// Waiting returns how many hashes wait for a slot now, for metrics.
func (h *Hasher) Waiting() int { return int(h.queue.waiting.Load()) }

// acquire admits one hash, waiting at most the queue's wait (less if ctx
// ends first). A free slot is taken at once, without counting as waiting.
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	q := h.queue
	start := time.Now()
	if !q.slots.TryAcquire(1) {
		q.waiting.Add(1)
		wait, cancel := context.WithTimeout(ctx, q.wait)
		err := q.slots.Acquire(wait, 1)
		cancel()
		q.waiting.Add(-1)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			h.observe(time.Since(start), false)
			return nil, ErrBusy
		}
	}
	q.running.Add(1)
	h.observe(time.Since(start), true)
	return func() { q.running.Add(-1); q.slots.Release(1) }, nil
}

func (h *Hasher) observe(wait time.Duration, admitted bool) {
	if h.observer != nil {
		h.observer.HashWaited(wait, admitted)
	}
}
