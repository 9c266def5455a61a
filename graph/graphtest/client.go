package graphtest

import "net/http"

// client is where a test's requests come from: the TCP peer and any extra
// headers (a proxy's X-Forwarded-For). Zero, requests come from
// httptest's default peer.
type client struct {
	remoteAddr string
	header     http.Header
}

func (c client) apply(req *http.Request) {
	if c.remoteAddr != "" {
		req.RemoteAddr = c.remoteAddr
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
}

// From returns an Env on the same server whose requests come from the TCP
// peer remoteAddr (host:port), with the given header pairs added, e.g.
// "X-Forwarded-For", "198.51.100.7": for rate limits per client address.
func (e *Env) From(remoteAddr string, header ...string) *Env {
	c := *e
	c.client = client{remoteAddr: remoteAddr, header: http.Header{}}
	for i := 0; i+1 < len(header); i += 2 {
		c.client.header.Add(header[i], header[i+1])
	}
	return &c
}
