package graph

import "errors"

// errUnknownType stands for an ID whose prefix names no type: for node it is
// the same as any other ID that resolves to nothing.
var errUnknownType = errors.New("unknown node type")
