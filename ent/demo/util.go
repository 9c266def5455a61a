package demo

import (
	"strings"

	"caseload/ent/clientrecord"
)

func lower(s string) string { return strings.ToLower(strings.ReplaceAll(s, "'", "")) }

func clientStatus(s string) clientrecord.Status { return clientrecord.Status(s) }
