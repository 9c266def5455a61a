package auth

import (
	"context"
	"fmt"
	"io"

	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	sredis "github.com/ulule/limiter/v3/drivers/store/redis"
)

// NewRedisStore connects to the Redis server at url (redis://host:port/db or
// rediss:// for TLS) and returns a limiter store that keeps its counts there
// under prefix, so that every replica of the server counts together. It
// fails when Redis cannot be reached, so that a misconfigured server does
// not start. Close the returned closer when done.
func NewRedisStore(ctx context.Context, url, prefix string) (limiter.Store, io.Closer, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("the Redis URL is not valid: %w", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, nil, fmt.Errorf("reaching Redis at %s: %w", opts.Addr, err)
	}
	store, err := sredis.NewStoreWithOptions(client, limiter.StoreOptions{Prefix: prefix})
	if err != nil {
		_ = client.Close()
		return nil, nil, fmt.Errorf("preparing the Redis rate limit store: %w", err)
	}
	return store, client, nil
}
