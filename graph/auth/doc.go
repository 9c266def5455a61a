// Package auth authenticates requests: it hashes and checks passwords,
// issues and verifies bearer tokens, and turns a token into the request's
// viewer, refusing deactivated members on their very next request.
package auth
