// Package auth authenticates requests: it hashes and checks passwords and
// issues and verifies bearer tokens. Turning a member into the request's
// viewer is ent/viewer's (Load).
package auth
