// Package policytest holds the black-box tests of the access policy
// (docs/access-policy.md), grouped by the section they check in files named
// sN_topic_test.go. Requests go through the real HTTP handler, as front ends
// and attackers send them; a few tests check the executable schema itself.
// The randomized differential test is in the differential subpackage.
package policytest
