package joinload

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// DecodeRows reads the aggregate a many-to-many joined load selects per
// owner row (PostgreSQL's json_agg of json_build_array, SQLite's
// json_group_array of json_array): a JSON array of rows, each an array of
// width column values. The values come back as the driver would have
// given them: a string, a bool, an int64 or nil; the generated code admits
// no column of another type to a join (jsonScannable).
//
// Strings without escapes are substrings of s, which is immutable: no copy
// per value. It reads the one shape it is given in one pass, since
// encoding/json's reflection-driven decoding cost a caseload page about 7%
// of its CPU for some hundred short strings (issue P). A string with an escape is handed
// to encoding/json, so the meaning of every string is encoding/json's;
// rows_test.go holds the two decoders to the same answers, and the same
// refusals, on generated and fuzzed input.
func DecodeRows(s string, width int) ([]any, error) {
	r := rowReader{b: s}
	if !r.take('[') {
		return nil, r.fail("an array of rows")
	}
	var cells []any
	if r.take(']') {
		return cells, r.end()
	}
	for {
		if !r.take('[') {
			return nil, r.fail("a row")
		}
		for k := 0; ; k++ {
			v, err := r.value()
			if err != nil {
				return nil, err
			}
			cells = append(cells, v)
			if r.take(',') {
				continue
			}
			if !r.take(']') {
				return nil, r.fail("',' or ']' in a row")
			}
			if k+1 != width {
				return nil, fmt.Errorf("joinload: %d values for %d columns", k+1, width)
			}
			break
		}
		if r.take(',') {
			continue
		}
		if r.take(']') {
			return cells, r.end()
		}
		return nil, r.fail("',' or ']' after a row")
	}
}

// rowReader reads b from i on.
type rowReader struct {
	b string
	i int
}

// errSyntax is every malformed aggregate.
var errSyntax = errors.New("joinload: malformed aggregate")

func (r *rowReader) fail(want string) error {
	return fmt.Errorf("%w: want %s at byte %d", errSyntax, want, r.i)
}

// space skips JSON's whitespace.
func (r *rowReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// take consumes c, after whitespace, if it comes next.
func (r *rowReader) take(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// end checks that nothing but whitespace follows.
func (r *rowReader) end() error {
	r.space()
	if r.i != len(r.b) {
		return r.fail("the end")
	}
	return nil
}

// value reads one column value.
func (r *rowReader) value() (any, error) {
	r.space()
	if r.i >= len(r.b) {
		return nil, r.fail("a value")
	}
	start := r.i
	if r.b[r.i] == '"' {
		// plain: no escape, control character or invalid UTF-8, so the
		// bytes between the quotes are the string.
		plain := true
		for r.i++; r.i < len(r.b) && r.b[r.i] != '"'; r.i++ {
			switch c := r.b[r.i]; {
			case c == '\\':
				plain = false
				r.i++
			case c < 0x20:
				plain = false
			}
		}
		if r.i >= len(r.b) {
			return nil, r.fail("the end of a string")
		}
		r.i++
		s := r.b[start:r.i]
		if plain && utf8.ValidString(s) {
			return s[1 : len(s)-1], nil
		}
		var out string
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("%w: %v", errSyntax, err)
		}
		return out, nil
	}
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ',', ']', ' ', '\t', '\n', '\r':
		default:
			r.i++
			continue
		}
		break
	}
	switch tok := r.b[start:r.i]; tok {
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		// JSON's integers only: strconv also takes "+1" and "0x1".
		if !jsonInteger(tok) {
			return nil, fmt.Errorf("%w: %q is not a string, a bool, null or an integer", errSyntax, tok)
		}
		i, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("joinload: %w", err)
		}
		return i, nil
	}
}

// jsonInteger reports whether s is a JSON number without fraction or
// exponent: -?(0|[1-9][0-9]*).
func jsonInteger(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
