package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The descriptions are decoded into a small tree of JSON values rather than
// with json.Unmarshal into structs: encoding/json silently keeps the last of
// duplicate keys and reports type errors without the document path, and a
// driver description must be strict (a typo must not pass) and explain
// where it is wrong.

type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kArray
	kObject
)

func (k kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// node is one JSON value.
type node struct {
	kind    kind
	boolean bool
	text    string // a string's value or a number's literal
	elems   []*node
	members []member // in document order; keys are unique
}

type member struct {
	key   string
	value *node
}

// maxDepth bounds nesting: a description is a few levels deep, and the
// bound keeps hostile input from using unbounded stack.
const maxDepth = 64

// decodeJSON parses data as exactly one JSON value and rejects duplicate
// object keys.
func decodeJSON(data []byte) (*node, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	n, err := decodeValue(d, data, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: unexpected data after the JSON value", position(data, d.InputOffset()))
	}
	return n, nil
}

func decodeValue(d *json.Decoder, data []byte, path string, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: JSON nested more than %d levels deep", position(data, d.InputOffset()), maxDepth)
	}
	tok, err := d.Token()
	if err != nil {
		return nil, syntaxError(data, d, err)
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: kNull}, nil
	case bool:
		return &node{kind: kBool, boolean: t}, nil
	case json.Number:
		return &node{kind: kNumber, text: string(t)}, nil
	case string:
		return &node{kind: kString, text: t}, nil
	case json.Delim:
		switch t {
		case '[':
			n := &node{kind: kArray}
			for i := 0; d.More(); i++ {
				e, err := decodeValue(d, data, fmt.Sprintf("%s[%d]", path, i), depth+1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, e)
			}
			if _, err := d.Token(); err != nil { // ']'
				return nil, syntaxError(data, d, err)
			}
			return n, nil
		case '{':
			n := &node{kind: kObject}
			seen := map[string]bool{}
			for d.More() {
				tok, err := d.Token()
				if err != nil {
					return nil, syntaxError(data, d, err)
				}
				key := tok.(string) // the decoder only returns string keys
				if seen[key] {
					return nil, fmt.Errorf("%s: %s: duplicate property %q (each property may appear once)",
						position(data, d.InputOffset()), displayPath(path), key)
				}
				seen[key] = true
				v, err := decodeValue(d, data, joinPath(path, key), depth+1)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key, v})
			}
			if _, err := d.Token(); err != nil { // '}'
				return nil, syntaxError(data, d, err)
			}
			return n, nil
		}
	}
	return nil, fmt.Errorf("%s: unexpected JSON token %v", position(data, d.InputOffset()), tok)
}

func syntaxError(data []byte, d *json.Decoder, err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: unexpected end of JSON input", position(data, int64(len(data))))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: invalid JSON: %v", position(data, se.Offset), se)
	}
	return fmt.Errorf("%s: invalid JSON: %v", position(data, d.InputOffset()), err)
}

// position formats a byte offset as "line:column" (1-based), as compilers do.
func position(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// joinPath appends a property name to a path, quoting names that are not
// plain identifiers ("gopsa/package" becomes ["gopsa/package"]).
func joinPath(path, key string) string {
	if isCIdentifier(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func displayPath(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}

// raw re-encodes n as JSON, for properties that are kept but not
// interpreted.
func (n *node) raw() []byte {
	var b strings.Builder
	n.write(&b)
	return []byte(b.String())
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case kNull:
		b.WriteString("null")
	case kBool:
		b.WriteString(strconv.FormatBool(n.boolean))
	case kNumber:
		b.WriteString(n.text)
	case kString:
		q, _ := json.Marshal(n.text) // marshalling a string cannot fail
		b.Write(q)
	case kArray:
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	case kObject:
		b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(m.key)
			b.Write(q)
			b.WriteByte(':')
			m.value.write(b)
		}
		b.WriteByte('}')
	}
}
