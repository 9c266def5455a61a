package access

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// unmarshalEnum is shared by every enum's UnmarshalGQL so that each rejects
// unknown values with the same message.
func unmarshalEnum[T ~string](v any, values []T, name string) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", name)
	}
	if !slices.Contains(values, T(s)) {
		return "", fmt.Errorf("%q is not a valid %s", s, name)
	}
	return T(s), nil
}

func marshalEnum[T ~string](w io.Writer, v T) {
	_, _ = io.WriteString(w, strconv.Quote(string(v)))
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
