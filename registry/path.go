package registry

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// rootAbbrev are the short names of the root keys, as reg.exe and
// PowerShell take them. A .reg file must spell the roots out (regedit
// refuses HKLM there); key paths given to this package may use either.
var rootAbbrev = map[string]string{
	"HKLM": "HKEY_LOCAL_MACHINE",
	"HKCU": "HKEY_CURRENT_USER",
	"HKCR": "HKEY_CLASSES_ROOT",
	"HKU":  "HKEY_USERS",
	"HKCC": "HKEY_CURRENT_CONFIG",
}

// part is one component of a key path: its text and its byte range.
type part struct {
	text       string
	start, end int
}

// parts splits a key path at its backslashes; empty components (from a
// doubled or trailing backslash, which the registry ignores) are left out.
func parts(p string) []part {
	var out []part
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '\\' {
			if i > start {
				out = append(out, part{p[start:i], start, i})
			}
			start = i + 1
		}
	}
	return out
}

// CanonicalKey returns the form of a key path in which keys that Windows
// takes for the same are equal strings (see Diff); with fold the 32-bit
// view is folded onto the 64-bit one.
func CanonicalKey(path string, fold bool) string { return canonical(path, fold) }

// canonical returns the form of a key path in which equal keys are equal
// strings: roots spelt out, no empty components, upper case (Windows
// compares key names without regard to case). With fold, the 32-bit view
// HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X is folded onto
// HKEY_LOCAL_MACHINE\SOFTWARE\X.
func canonical(p string, fold bool) string {
	ps := parts(p)
	names := make([]string, 0, len(ps))
	for i, c := range ps {
		name := strings.ToUpper(c.text)
		if i == 0 {
			if full, ok := rootAbbrev[name]; ok {
				name = full
			}
		}
		if fold && i == 2 && name == "WOW6432NODE" && names[0] == "HKEY_LOCAL_MACHINE" && names[1] == "SOFTWARE" {
			continue
		}
		names = append(names, name)
	}
	return strings.Join(names, `\`)
}

// under reports whether the canonical key path key is tree or below it.
func under(key, tree string) bool {
	return key == tree || (strings.HasPrefix(key, tree) && key[len(tree)] == '\\')
}

// Patterns selects key paths: each pattern is a key path (HKLM and the
// other abbreviations allowed) whose components may hold the wildcards *
// (any characters) and ? (one character); it selects the keys it names and
// every key below them, without regard to case. No pattern selects every
// key.
type Patterns struct {
	list [][]string // canonical components
	fold bool
}

// CompilePatterns checks patterns; with fold, Wow6432Node is folded as in
// canonical, in the patterns and in the paths they are matched against.
func CompilePatterns(patterns []string, fold bool) (Patterns, error) {
	ps := Patterns{fold: fold}
	for _, p := range patterns {
		c := canonical(p, fold)
		if c == "" {
			return ps, fmt.Errorf("empty key pattern %q", p)
		}
		ps.list = append(ps.list, strings.Split(c, `\`))
	}
	return ps, nil
}

// Match reports whether a key path is selected.
func (ps Patterns) Match(key string) bool {
	if len(ps.list) == 0 {
		return true
	}
	comps := strings.Split(canonical(key, ps.fold), `\`)
	for _, p := range ps.list {
		if len(comps) < len(p) {
			continue
		}
		ok := true
		for i, pc := range p {
			if !wildMatch(pc, comps[i]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// wildMatch reports whether s matches pattern, where * stands for any
// characters and ? for one; nothing else is special (key names may hold
// '/', '[' and the like).
func wildMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	star, mark := -1, 0
	for i, j := 0, 0; j < len(t); {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == t[j]):
			i, j = i+1, j+1
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
		if j == len(t) {
			for i < len(p) && p[i] == '*' {
				i++
			}
			return i == len(p)
		}
	}
	return len(p) == 0 || strings.Trim(pattern, "*") == ""
}

// FullKeyPath returns a key path with its root spelt out as a .reg file
// must spell it (HKLM\X becomes HKEY_LOCAL_MACHINE\X), the rest as given;
// ErrKeyPath when it starts with no root key.
func FullKeyPath(p string) (string, error) {
	c, err := checkSubtree(p)
	if err != nil {
		return "", err
	}
	root, _ := reg.RootKey(c)
	return root + p[parts(p)[0].end:], nil
}

// checkSubtree returns the canonical form of a subtree given by a user, or
// an error when it does not start with a root key.
func checkSubtree(p string) (string, error) {
	c := canonical(p, false)
	if _, ok := reg.RootKey(c); !ok {
		return "", fmt.Errorf("%w: %q does not start with a root key (HKEY_LOCAL_MACHINE or HKLM, ...)", ErrKeyPath, p)
	}
	return c, nil
}
