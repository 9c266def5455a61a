package main

// The container image is built FROM scratch (see the Dockerfile): it has no
// CA certificates and no time zone database. The binary carries both, and
// each is used only where the system has none, so that a full system's own
// files still win.
import (
	// Mozilla's root certificates, for PostgreSQL with sslmode=verify-full
	// and for OTLP over https when no /etc/ssl is there to verify them.
	_ "golang.org/x/crypto/x509roots/fallback"
	// The IANA zones: practices' time zones are loaded by name
	// (time.LoadLocation), and without zoneinfo every one but UTC would be
	// refused or, on the booking page, silently read as UTC.
	_ "time/tzdata"
)
