package batch

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Var is a scripting variable as :listvar shows it.
type Var struct {
	Name  string // upper case: names are case-insensitive
	Value string
}

// vars holds the scripting variables by upper-case name.
type vars map[string]string

func varKey(name string) string { return strings.ToUpper(name) }

// validName reports whether s can name a scripting variable: not empty, no
// blanks, quotes, '$', '(' or ')'.
func validName(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		switch c {
		case ' ', '\t', '\r', '\n', '\'', '"', '$', '(', ')':
			return false
		}
	}
	return true
}

// substitute appends line to dst with every $(NAME) replaced. An undefined
// name stays as written and is reported (the first one) with its column; a
// "$(" that is not followed by a valid name and ")" is kept as text.
func (v vars) substitute(dst, line []byte) ([]byte, *Error) {
	var first *Error
	for {
		i := bytes.Index(line, []byte("$("))
		if i < 0 {
			return append(dst, line...), first
		}
		j := bytes.IndexByte(line[i+2:], ')')
		if j < 0 || !validName(line[i+2:i+2+j]) {
			dst = append(dst, line[:i+2]...)
			line = line[i+2:]
			continue
		}
		name := line[i+2 : i+2+j]
		val, ok := v[varKey(string(name))]
		dst = append(dst, line[:i]...)
		if ok {
			dst = append(dst, val...)
		} else {
			dst = append(dst, line[i:i+3+j]...)
			if first == nil {
				first = &Error{Msg: fmt.Sprintf("scripting variable %q is not defined (define it with :setvar or -v)", name),
					Err: ErrUndefinedVariable, Column: i + 1}
			}
		}
		line = line[i+3+j:]
	}
}

// sorted lists the variables by name.
func (v vars) sorted() []Var {
	out := make([]Var, 0, len(v))
	for k, val := range v {
		out = append(out, Var{Name: k, Value: val})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ParseSetvar splits the arguments of :setvar: a name and an optional value,
// which is a single word or a "double-quoted" string in which "" stands for
// one quote. ok is false when there is no value (:setvar NAME removes NAME).
func ParseSetvar(args string) (name, value string, ok bool, err error) {
	args = strings.TrimLeft(args, " \t")
	end := strings.IndexAny(args, " \t")
	if end < 0 {
		end = len(args)
	}
	name, rest := args[:end], strings.TrimLeft(args[end:], " \t")
	if !validName([]byte(name)) {
		return "", "", false, fmt.Errorf(":setvar expects a variable name without blanks, quotes, '$' or parentheses, found %q", name)
	}
	rest = strings.TrimRight(rest, " \t")
	if rest == "" {
		return name, "", false, nil
	}
	if rest[0] != '"' {
		if strings.ContainsAny(rest, " \t\"") {
			return "", "", false, fmt.Errorf(":setvar %s: a value with blanks or quotes must be in double quotes, found %s", name, rest)
		}
		return name, rest, true, nil
	}
	var b strings.Builder
	for i := 1; i < len(rest); i++ {
		if rest[i] != '"' {
			b.WriteByte(rest[i])
			continue
		}
		if i+1 < len(rest) && rest[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		if tail := strings.TrimLeft(rest[i+1:], " \t"); tail != "" {
			return "", "", false, fmt.Errorf(":setvar %s: unexpected %q after the closing quote", name, tail)
		}
		return name, b.String(), true, nil
	}
	return "", "", false, fmt.Errorf(":setvar %s: the value's closing double quote is missing", name)
}

// ParseFileArg returns the file name of :r, :out or :error: the argument
// with surrounding double quotes removed.
func ParseFileArg(args string) string {
	args = strings.TrimSpace(args)
	if len(args) >= 2 && args[0] == '"' && args[len(args)-1] == '"' {
		return args[1 : len(args)-1]
	}
	return args
}
