// Package policytest holds the black-box tests of the access policy: every
// request goes through the real HTTP handler, as front ends and attackers
// send it.
package policytest
