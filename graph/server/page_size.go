package server

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph"
	"caseload/graph/errcode"
)

// pageSize is the number of items a field that takes first or last asks
// for: the larger of the two given, else the argument's schema default,
// else graph.DefaultPageSize. A size outside [0, graph.MaxPageSize] is
// BAD_USER_INPUT, refused here before any resolver runs, nested connections
// included (the generated ones would otherwise page whatever they are
// asked).
func (c *coster) pageSize(f *ast.Field, def *ast.FieldDefinition) int {
	size, given := 0, false
	for _, name := range []string{"first", "last"} {
		argDef := def.Arguments.ForName(name)
		if argDef == nil {
			continue
		}
		n, ok := c.intArg(f, argDef)
		if !ok {
			continue
		}
		if n < 0 || n > graph.MaxPageSize {
			c.fail(pageSizeError(f, name, n))
			n = graph.MaxPageSize
		}
		size, given = max(size, n), true
	}
	if !given {
		return graph.DefaultPageSize
	}
	return size
}

// checkIDs refuses more than graph.MaxPageSize ids (nodes), as a page.
func (c *coster) checkIDs(f *ast.Field, n int) int {
	if n > graph.MaxPageSize {
		c.fail(locate(errcode.New(errcode.BadUserInput,
			fmt.Sprintf("%s takes at most %d IDs", f.Name, graph.MaxPageSize)), f))
		return graph.MaxPageSize
	}
	return n
}

// pageSizeError names the field and argument refused.
func pageSizeError(f *ast.Field, arg string, n int) *gqlerror.Error {
	return locate(errcode.New(errcode.BadUserInput, fmt.Sprintf(
		"%s(%s: %d): %s must be between 0 and %d", f.Name, arg, n, arg, graph.MaxPageSize)), f)
}

// intArg reads an Int argument: a literal, a variable of the request, or
// the default of the variable or of the argument. ok is false when there is
// no integer to read; validation then reports what is wrong, if anything.
func (c *coster) intArg(f *ast.Field, argDef *ast.ArgumentDefinition) (int, bool) {
	if arg := f.Arguments.ForName(argDef.Name); arg != nil {
		return c.intValue(arg.Value)
	}
	return c.intValue(argDef.DefaultValue)
}

func (c *coster) intValue(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Kind {
	case ast.IntValue:
		return parseInt(v.Raw)
	case ast.Variable:
		if raw, ok := c.vars[v.Raw]; ok {
			return jsonInt(raw)
		}
		if vd := c.op.VariableDefinitions.ForName(v.Raw); vd != nil {
			return c.intValue(vd.DefaultValue)
		}
	}
	return 0, false
}

// parseInt reads an integer literal, saturating beyond the int range: a
// first of 10^30 is still refused as too large.
func parseInt(raw string) (int, bool) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err == nil {
		return int(n), true
	}
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		if len(raw) > 0 && raw[0] == '-' {
			return math.MinInt, true
		}
		return math.MaxInt, true
	}
	return 0, false
}

// jsonInt reads a variable's value as decoded from the request body.
func jsonInt(raw any) (int, bool) {
	switch n := raw.(type) {
	case json.Number:
		return parseInt(n.String())
	case float64:
		if n != math.Trunc(n) {
			return 0, false
		}
		if math.Abs(n) >= math.MaxInt64 {
			return parseInt(strconv.FormatFloat(n, 'f', 0, 64))
		}
		return int(n), true
	case int:
		return n, true
	case int64:
		return int(n), true
	case string:
		// GET requests carry variables as JSON text; the transport decodes
		// them, but a string here is not an Int: leave it to validation.
		return 0, false
	}
	return 0, false
}

// listLength is the number of items of a list argument (nodes' ids).
func (c *coster) listLength(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Kind {
	case ast.ListValue:
		return len(v.Children), true
	case ast.Variable:
		if list, ok := c.vars[v.Raw].([]any); ok {
			return len(list), true
		}
		// Not sent: the variable's default, if it has one.
		if _, sent := c.vars[v.Raw]; !sent && c.op != nil {
			if def := c.op.VariableDefinitions.ForName(v.Raw); def != nil {
				return c.listLength(def.DefaultValue)
			}
		}
	}
	return 0, false
}
