package batch

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Var is a scripting variable as :listvar shows it.
type Var struct {
	Name  string // upper case: names are case-insensitive
	Value string
}

// vars holds the scripting variables by upper-case name.
type vars map[string]string

func varKey(name string) string { return strings.ToUpper(name) }

// lookup returns the value of the variable name (bytes, any case) without
// allocating for names that are already upper case.
func (v vars) lookup(name []byte) (string, bool) {
	var buf [64]byte
	if len(name) <= len(buf) {
		up := buf[:len(name)]
		for i, c := range name {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			up[i] = c
		}
		val, ok := v[string(up)]
		return val, ok
	}
	val, ok := v[varKey(string(name))]
	return val, ok
}

// readOnly are the variables sqlcmd sets once at start-up (the R ones of the
// "sqlcmd scripting variables" table): :setvar may not change them once
// they have a value.
var readOnly = map[string]bool{
	"SQLCMDUSER": true, "SQLCMDSERVER": true, "SQLCMDWORKSTATION": true,
	"SQLCMDDBNAME": true, "SQLCMDPACKETSIZE": true, "SQLCMDINI": true,
}

// numeric are sqlcmd's own variables that hold a number; a :setvar that
// gives one of them something else is an error (go-sqlcmd crashes on it
// when it next reads the variable).
var numeric = map[string]bool{
	"SQLCMDLOGINTIMEOUT": true, "SQLCMDSTATTIMEOUT": true, "SQLCMDHEADERS": true, "SQLCMDCOLWIDTH": true,
	"SQLCMDERRORLEVEL": true, "SQLCMDMAXVARTYPEWIDTH": true, "SQLCMDMAXFIXEDTYPEWIDTH": true,
}

// VarNumber reads the value of a numeric variable as sqlcmd reads it:
// blanks, an optional sign and digits; what follows them is ignored ("2--"
// is 2). ok is false when there are no digits.
func VarNumber(value string) (n int, ok bool) {
	s := strings.TrimLeft(value, " \t\r\n")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, false
	}
	v, err := strconv.Atoi(s[:j])
	return v, err == nil
}

// ValidName reports whether name can be set by :setvar or -v: a letter or
// '_' first, then letters, digits, '_' and '-', the rule of sqlcmd.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		switch {
		case unicode.IsLetter(c) || c == '_':
		case i > 0 && (unicode.IsDigit(c) || c == '-'):
		default:
			return false
		}
	}
	return true
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

// ParseSetvar splits the arguments of :setvar as sqlcmd does: a name, a
// space, and an optional value, which is a word without blanks or a
// "double-quoted" string in which "" stands for one quote. ok is false when
// there is no value (:setvar NAME removes NAME).
func ParseSetvar(args string) (name, value string, ok bool, err error) {
	args = strings.TrimSpace(args)
	if args == "" {
		return "", "", false, fmt.Errorf(":setvar expects a variable name and a value")
	}
	name, rest, _ := strings.Cut(args, " ")
	if !ValidName(name) {
		return "", "", false, fmt.Errorf(":setvar expects a name of letters, digits, '_' and '-' starting with a letter or '_', found %q", name)
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return name, "", false, nil
	}
	if rest[0] != '"' {
		if strings.ContainsAny(rest, " \t\r\n") {
			return "", "", false, fmt.Errorf(":setvar %s: a value with blanks must be in double quotes, found %s", name, rest)
		}
		return name, rest, true, nil
	}
	if len(rest) == 1 || rest[len(rest)-1] != '"' {
		return "", "", false, fmt.Errorf(":setvar %s: the value must end with its closing double quote, found %s", name, rest)
	}
	var b strings.Builder
	inner := rest[1 : len(rest)-1]
	for i := 0; i < len(inner); i++ {
		if inner[i] != '"' {
			b.WriteByte(inner[i])
			continue
		}
		if i+1 < len(inner) && inner[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		return "", "", false, fmt.Errorf(":setvar %s: a double quote inside the value must be doubled (\"\"), found %s", name, rest)
	}
	return name, b.String(), true, nil
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
