package joinload

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// referenceRows is what encoding/json makes of an aggregate, each value
// converted as the generated code converted it before DecodeRows: ok is
// false where encoding/json refuses the input. (That code's json.Decoder
// also took trailing data and a JSON null; no database writes either.)
func referenceRows(b []byte, width int) (cells []any, ok bool) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil || rows == nil {
		return nil, false
	}
	for _, row := range rows {
		if len(row) != width {
			return nil, false
		}
		for _, raw := range row {
			var v any
			d := json.NewDecoder(strings.NewReader(string(raw)))
			d.UseNumber()
			if err := d.Decode(&v); err != nil {
				return nil, false
			}
			switch x := v.(type) {
			case json.Number:
				i, err := x.Int64()
				if err != nil || strings.ContainsAny(string(x), ".eE") {
					return nil, false
				}
				v = i
			case string, bool, nil:
			default:
				return nil, false
			}
			cells = append(cells, v)
		}
	}
	return cells, true
}

// sameAsReference fails t where DecodeRows and encoding/json disagree: on
// the values of an aggregate both read, or on whether to read it at all.
func sameAsReference(t *testing.T, b []byte, width int) {
	t.Helper()
	got, err := DecodeRows(string(b), width)
	want, ok := referenceRows(b, width)
	switch {
	case err != nil && ok:
		t.Fatalf("%q (width %d): refused (%v), encoding/json reads %#v", b, width, err, want)
	case err == nil && !ok:
		t.Fatalf("%q (width %d): read %#v, encoding/json refuses it", b, width, got)
	case err == nil && len(got)+len(want) > 0 && !reflect.DeepEqual(got, want):
		t.Fatalf("%q (width %d):\n got %#v\nwant %#v", b, width, got, want)
	}
}

// Aggregates as PostgreSQL and SQLite write them, with the strings a tag or
// a name may hold, read exactly as encoding/json reads them.
func TestDecodeRows_ReadsWhatEncodingJSONReads(t *testing.T) {
	strs := []string{"", "Plain", `"Quoted"`, `back\slash`, "Zoë – 5 €", "line\u2028sep", "<&>", "أحمد",
		"tab\there", "\u0000nul", "emoji 😀", `\u0041`, "/slash/"}
	rnd := rand.New(rand.NewPCG(1, 2))
	space := func() string { return []string{"", " ", "\n", " \t\r\n "}[rnd.IntN(4)] }
	for range 2000 {
		width := 1 + rnd.IntN(4)
		var sb strings.Builder
		sb.WriteString(space() + "[")
		rows := rnd.IntN(4)
		for r := range rows {
			if r > 0 {
				sb.WriteString(space() + "," + space())
			}
			sb.WriteString("[")
			for k := range width {
				if k > 0 {
					sb.WriteString(space() + "," + space())
				}
				var v any
				switch rnd.IntN(5) {
				case 0:
					v = nil
				case 1:
					v = rnd.IntN(2) == 0
				case 2:
					v = rnd.Int64() - rnd.Int64()
				default:
					v = strs[rnd.IntN(len(strs))]
				}
				enc, _ := json.Marshal(v)
				sb.WriteString(string(enc))
			}
			sb.WriteString(space() + "]")
		}
		sb.WriteString("]" + space())
		sameAsReference(t, []byte(sb.String()), width)
	}
}

// What is not an aggregate of scalar rows of the width is refused, as
// encoding/json refused it.
func TestDecodeRows_RefusesWhatIsNotAnAggregate(t *testing.T) {
	for _, in := range []string{
		``, `[`, `]`, `[[`, `[[]]`, `[["a"]`, `[["a"]]]`, `[["a"],]`, `[["a",]]`, `[["a"] ["b"]]`,
		`[["a" "b"]]`, `[["a"]] x`, `{"a":1}`, `[[{"a":1}]]`, `[[["a"]]]`, `[[1.5]]`, `[[1e3]]`,
		`[[01]]`, `[[+1]]`, `[[0x1]]`, `[[-]]`, `[[9223372036854775808]]`, `[[tru]]`, `[[nul]]`,
		`[["unterminated]]`, `[["bad \x escape"]]`, "[[\"raw\x01control\"]]", "[[\"\xff\"]]",
		`[["a","b"]]`, `[["a"],["b","c"]]`, `null`, `[null]`,
	} {
		got, err := DecodeRows(in, 1)
		if err == nil && in != "[[\"\xff\"]]" {
			t.Errorf("%q: read %#v", in, got)
		}
		sameAsReference(t, []byte(in), 1)
	}
}

// FuzzDecodeRows holds DecodeRows to encoding/json on any input; go test
// runs the seeds, go test -fuzz FuzzDecodeRows searches further.
func FuzzDecodeRows(f *testing.F) {
	for _, seed := range []string{`[]`, `[["a"]]`, `[["a", 1, true, null]]`, `[["\u00e9\"", -0]]`, ` [ [ "x" ] , [ "y" ] ] `} {
		f.Add([]byte(seed), 1)
		f.Add([]byte(seed), 4)
	}
	f.Fuzz(func(t *testing.T, b []byte, width int) {
		if width < 1 || width > 8 {
			return
		}
		sameAsReference(t, b, width)
	})
}
