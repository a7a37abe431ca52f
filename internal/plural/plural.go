// Package plural words counts in xdm's messages: "1 problem", "2 problems",
// never "1 problems" or "problem(s)".
package plural

import "strconv"

// Integer is any count a message may give.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// Count returns n and the noun, singular for exactly one, else plural:
// Count(1, "batch") is "1 batch", Count(0, "entry") "0 entries". The noun
// is given in the singular; Noun forms the plural.
func Count[T Integer](n T, noun string) string {
	var s string
	if n < 0 {
		s = strconv.FormatInt(int64(n), 10)
	} else {
		s = strconv.FormatUint(uint64(n), 10)
	}
	return s + " " + Noun(n, noun)
}

// Noun returns the singular noun for n == 1, else its plural by the
// regular English rules (batch → batches, entry → entries, key → keys).
// The last word of a phrase is the one made plural: "phone number" →
// "phone numbers".
func Noun[T Integer](n T, noun string) string {
	if n == 1 || noun == "" {
		return noun
	}
	last := noun[len(noun)-1]
	switch {
	case hasSuffix(noun, "ch"), hasSuffix(noun, "sh"), last == 's', last == 'x', last == 'z':
		return noun + "es"
	case last == 'y' && len(noun) > 1 && !isVowel(noun[len(noun)-2]):
		return noun[:len(noun)-1] + "ies"
	}
	return noun + "s"
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U':
		return true
	}
	return false
}
