package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"caseload/graph/errcode"
)

// edgeLimits refuses a request over a limit before gqlgen validates its
// document and before any resolver runs. gqlgen calls it first for every
// request, on the raw query and variables; it lexes and parses the document
// itself, which is linear in its size, because validation is not: a hostile
// document costs more to validate than to refuse. In order:
//
//  1. tokens, counted by the lexer, before anything is parsed;
//  2. for a caller without a token, that the document asks only for the
//     public root fields (anonymous.go);
//  3. introspection, if it is off for this caller;
//  4. depth, aliases and directives of the operation, fragments expanded;
//  5. page sizes (first/last), nested connections included;
//  6. the cost budget.
//
// A document that does not parse, or names no operation it holds, passes:
// gqlgen reports that itself.
type edgeLimits struct {
	limits    Limits
	anonymous bool
	schema    *ast.Schema
}

var (
	_ graphql.HandlerExtension          = (*edgeLimits)(nil)
	_ graphql.OperationParameterMutator = (*edgeLimits)(nil)
)

// ExtensionName names the extension in gqlgen's stats.
func (*edgeLimits) ExtensionName() string { return "CaseloadEdgeLimits" }

// Validate keeps the schema, whose types the cost is computed from.
func (e *edgeLimits) Validate(es graphql.ExecutableSchema) error {
	e.schema = es.Schema()
	return nil
}

// MutateOperationParameters checks the request; it changes nothing.
func (e *edgeLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	report := newCostReport(ctx, e.limits.MaxCost)
	maxTokens := e.limits.MaxTokens
	if e.anonymous {
		maxTokens = e.limits.MaxAnonymousTokens
	}
	if n := countTokens(p.Query); n > maxTokens {
		return tooComplex(limitTokens, n, maxTokens)
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: p.Query})
	if err != nil {
		return nil
	}
	if err := e.checkRootFields(doc); err != nil {
		return err
	}
	op := selectOperation(doc, p.OperationName)
	if op == nil {
		return nil
	}
	shapes := newShaper(doc)
	costs := newCoster(e.schema, doc, op, p.Variables, shapes)
	cost := costs.operation()
	report.requested(cost)
	if err := e.checkShape(shapes.operation(op)); err != nil {
		return err
	}
	if costs.err != nil {
		return costs.err
	}
	if cost > e.limits.MaxCost {
		return tooComplex(limitCost, cost, e.limits.MaxCost)
	}
	return nil
}

// checkRootFields applies the rules on root fields: what an anonymous
// caller may ask for, and introspection when it is off.
func (e *edgeLimits) checkRootFields(doc *ast.QueryDocument) *gqlerror.Error {
	if e.anonymous {
		return checkAnonymous(doc, e.limits.AnonymousIntrospection)
	}
	if e.limits.DisableIntrospection && usesIntrospection(doc) {
		return errcode.New(errcode.Forbidden, "introspection is turned off on this server")
	}
	return nil
}

// checkShape applies the depth, alias and directive limits.
func (e *edgeLimits) checkShape(s shape) *gqlerror.Error {
	l := e.limits
	switch {
	case s.depth > l.MaxDepth:
		return tooComplex(limitDepth, s.depth, l.MaxDepth)
	case s.introspectionDepth > l.MaxIntrospectionDepth:
		return tooComplex(limitDepth, s.introspectionDepth, l.MaxIntrospectionDepth)
	case s.introspectionLists > maxTypeLists:
		err := tooComplex(limitDepth, s.introspectionLists, maxTypeLists)
		err.Message = "introspection nests the lists of __Type (fields, interfaces, possibleTypes, inputFields) too deeply"
		return err
	case s.aliases > l.MaxAliases:
		return tooComplex(limitAliases, s.aliases, l.MaxAliases)
	case s.directives > l.MaxDirectives:
		return tooComplex(limitDirectives, s.directives, l.MaxDirectives)
	}
	return nil
}

// countTokens counts the tokens of a document as gqlgen's parser counts them
// against its token limit: every token but the end, comments included. A
// lexical error ends the count; the parser reports it.
func countTokens(query string) int {
	lex := lexer.New(&ast.Source{Input: query})
	n := 0
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return n
		}
		n++
	}
}

// selectOperation is the operation gqlgen will run: the one named, or the
// only one.
func selectOperation(doc *ast.QueryDocument, name string) *ast.OperationDefinition {
	if name == "" && len(doc.Operations) != 1 {
		return nil
	}
	return doc.Operations.ForName(name)
}
