package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/realclientip/realclientip-go"
)

// ClientAddresses finds a request's client address as the API contract
// defines it, for rate limits and the session record: the TCP peer, or,
// when the peer is one of the trusted proxies, the rightmost address of
// X-Forwarded-For that is not a trusted proxy. A forwarded address from
// any other peer is ignored, since anyone can send the header.
type ClientAddresses struct {
	trusted   []net.IPNet
	forwarded realclientip.Strategy
}

// NewClientAddresses parses a comma-separated list of trusted proxies, each
// an IP address or a CIDR range; an empty list trusts none.
func NewClientAddresses(trustedProxies string) (*ClientAddresses, error) {
	var ranges []string
	for _, r := range strings.Split(trustedProxies, ",") {
		if r = strings.TrimSpace(r); r != "" {
			ranges = append(ranges, r)
		}
	}
	trusted, err := realclientip.AddressesAndRangesToIPNets(ranges...)
	if err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	c := &ClientAddresses{trusted: trusted}
	if len(trusted) > 0 {
		c.forwarded, err = realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", trusted)
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Of returns r's client address, without port; "" when even the peer has
// none (a Unix socket).
func (c *ClientAddresses) Of(r *http.Request) string {
	peer := realclientip.RemoteAddrStrategy{}.ClientIP(r.Header, r.RemoteAddr)
	if c == nil || c.forwarded == nil || !c.isTrusted(peer) {
		return peer
	}
	if fwd := c.forwarded.ClientIP(r.Header, r.RemoteAddr); fwd != "" {
		return fwd
	}
	// No forwarded address, or only trusted ones: the proxy itself asks.
	return peer
}

func (c *ClientAddresses) isTrusted(addr string) bool {
	ip := net.ParseIP(addr)
	for _, n := range c.trusted {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// Request is what a request says about its client, for rate limits and the
// session it may start.
type Request struct {
	// Address is the client address (ClientAddresses.Of).
	Address string
	// UserAgent is the User-Agent header, cut to a bounded length.
	UserAgent string
}

type requestKey struct{}

// WithRequest returns a context carrying the client's request facts.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestOf returns the client's request facts; zero outside a request.
func RequestOf(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
