// Package secrettest generates hostile passwords and finds them in output,
// for the tests that prove xdm never prints a password.
package secrettest

import (
	"math/rand/v2"
	"strings"
)

// Specials are the characters that break connection strings written by
// hand: URL delimiters, a bad percent escape, quotes, braces, separators.
var Specials = []string{"/", "%zz", "#", "?", " ", "{", "}", "@", ";", "'", `"`, ":", "=", "&", "\\", "+", "%", "}}", "ä", "€", "ß", "Ω", "日本"}

// Passwords returns n passwords from seed: 8 to 24 characters, letters and
// digits mixed with at least two of Specials, so that every form of
// connection string has something to get wrong. The first ones are the
// cases the issue names.
func Passwords(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	fixed := []string{"Pa/ss%zzWord#1", "Sec ret?Pw{x}", "Ab}}cd;Ef'gh", "Ünïcødé@Pw9", "x#y?z/Q7@k"}
	out := make([]string, 0, n)
	out = append(out, fixed[:min(n, len(fixed))]...)
	const letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	for len(out) < n {
		var b strings.Builder
		length := 8 + r.IntN(17)
		specials := 2 + r.IntN(3)
		for b.Len() < length {
			if specials > 0 && r.IntN(3) == 0 {
				b.WriteString(Specials[r.IntN(len(Specials))])
				specials--
				continue
			}
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		for ; specials > 0; specials-- {
			b.WriteString(Specials[r.IntN(len(Specials))])
		}
		out = append(out, b.String())
	}
	return out
}

// Leaks returns what of password occurs in output: the password itself, or
// any piece of it four bytes or longer that does not also occur in other,
// the rest of what the user typed (a piece such as "@127" may come from
// there). Pieces are checked at character boundaries.
func Leaks(output, password, other string) []string {
	var found []string
	if password != "" && strings.Contains(output, password) && !strings.Contains(other, password) {
		return []string{password}
	}
	starts := boundaries(password)
	for i, a := range starts {
		for _, b := range starts[i+1:] {
			if b-a < 4 {
				continue
			}
			piece := password[a:b]
			if strings.Contains(other, piece) {
				continue // typed elsewhere too: a longer piece may still tell
			}
			if strings.Contains(output, piece) {
				found = append(found, piece)
			}
			break // longer pieces from a contain this one
		}
	}
	return found
}

// boundaries returns the byte offsets at which characters of s begin, and
// len(s).
func boundaries(s string) []int {
	var b []int
	for i := range s {
		b = append(b, i)
	}
	return append(b, len(s))
}
