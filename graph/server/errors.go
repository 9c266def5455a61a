package server

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"caseload/graph/errcode"
)

// writeError answers a request refused before GraphQL runs, in the GraphQL
// response shape so that every client parses one format.
func writeError(w http.ResponseWriter, status int, code errcode.Code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{
			"message":    message,
			"extensions": map[string]any{"code": string(code)},
		}},
	})
}

// contractCodes gives every error that gqlgen raises outside resolvers
// (parsing, validation, variable coercion) the contract's BAD_USER_INPUT:
// such errors describe the request, never data.
func contractCodes(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	for _, e := range resp.Errors {
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		if code, _ := e.Extensions["code"].(string); !errcode.Known(code) {
			e.Extensions["code"] = string(errcode.BadUserInput)
		}
	}
	return resp
}
