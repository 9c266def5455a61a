// Package auth authenticates requests: it hashes and checks passwords
// through a bounded queue, issues and verifies bearer tokens that name their
// session, finds a request's client address behind trusted proxies, and
// rate-limits logins and sign-ups per address and per (address, account).
// Turning a member's session into the request's viewer is ent/viewer's
// (Load).
package auth
