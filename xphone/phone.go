package xphone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/internal/plural"
)

// PhoneFormat turns the phone numbers of a V4 export into international form
// (+4989123456). The zero value leaves numbers as they are.
type PhoneFormat struct {
	Country string // country code without prefix: "49"
	Area    string // area code without trunk prefix: "89"
}

// NewPhoneFormat checks and normalises a country and area code as users type
// them: "49", "+49" and "0049" are the same country, "89" and "089" the same area.
func NewPhoneFormat(country, area string) (PhoneFormat, error) {
	c := strings.TrimSpace(country)
	c = strings.TrimPrefix(strings.TrimPrefix(c, "+"), "00")
	a := strings.TrimLeft(strings.TrimSpace(area), "0")
	switch {
	case country == "" && area != "":
		return PhoneFormat{}, errors.New("an area code needs a country code")
	case country == "":
		return PhoneFormat{}, nil
	case !allDigits(c) || len(c) > 3 || c[0] == '0':
		return PhoneFormat{}, fmt.Errorf("country code %q: 1 to 3 digits expected, like 49", country)
	case area != "" && (!allDigits(a) || len(a) > 6):
		return PhoneFormat{}, fmt.Errorf("area code %q: up to 6 digits expected, like 89 or 089", area)
	}
	return PhoneFormat{Country: c, Area: a}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// extensionMarkers introduce an extension after the main number.
var extensionMarkers = []string{"extension", "ext.", "ext", "x", "#"}

// Normalize returns s in international form. The rules, in order:
//   - empty or blank stays as it is;
//   - an extension after "x", "ext", "ext.", "extension" or "#" is appended
//     to the number (German direct-dial style: +49 89 1234-56 is +498912345 6);
//   - brackets, spaces, "-", "/" and "." are separators and dropped; a "(0)"
//     after the country code is the trunk prefix and dropped;
//   - "+CC…" and "00CC…" are international; a 0 right after the configured
//     country code is dropped (+49 089… is +4989…);
//   - "0…" is national: +Country and the rest;
//   - anything else is a local number: +Country Area and the number (an error
//     without an area code, or with fewer than 3 digits);
//   - the result must have 7 to 15 digits (E.164).
//
// Letters, a misplaced "+", unbalanced brackets or a wrong length are errors;
// the caller keeps the original value.
func (p PhoneFormat) Normalize(s string) (string, error) {
	if p.Country == "" {
		return s, nil
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return s, nil
	}
	main, ext := t, ""
	low := strings.ToLower(t)
	for _, m := range extensionMarkers {
		if i := strings.Index(low, m); i > 0 {
			main, ext = t[:i], strings.TrimSpace(t[i+len(m):])
			if ext == "" || !allDigits(strings.NewReplacer(" ", "", "-", "").Replace(ext)) {
				return s, fmt.Errorf("extension %q is not a number", ext)
			}
			break
		}
	}
	main = strings.TrimSpace(main)
	intl := false
	if strings.HasPrefix(main, "+") {
		intl, main = true, main[1:]
	}
	var digits []byte
	depth, group := 0, -1
	for i := 0; i < len(main); i++ {
		c := main[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '(':
			if depth > 0 {
				return s, errors.New("nested brackets")
			}
			depth, group = 1, len(digits)
		case c == ')':
			if depth == 0 {
				return s, errors.New("unbalanced brackets")
			}
			depth = 0
			// "(0)" right after an international country code is the trunk prefix.
			if string(digits[group:]) == "0" && group > 0 && (intl || strings.HasPrefix(string(digits), "00")) {
				digits = digits[:group]
			}
		case c == ' ' || c == '-' || c == '/' || c == '.' || c == '\u00a0':
		case c == '+':
			return s, errors.New(`"+" inside the number`)
		default:
			return s, fmt.Errorf("unexpected character %q", c)
		}
	}
	if depth != 0 {
		return s, errors.New("unbalanced brackets")
	}
	for i := 0; i < len(ext); i++ {
		if ext[i] >= '0' && ext[i] <= '9' {
			digits = append(digits, ext[i])
		}
	}
	num := string(digits)
	switch {
	case intl:
	case strings.HasPrefix(num, "00"):
		num = num[2:]
	case strings.HasPrefix(num, "0"):
		num = p.Country + num[1:]
	default:
		if p.Area == "" {
			return s, errors.New("local number and no area code configured")
		}
		if len(num) < 3 {
			return s, errors.New("too short for a local number")
		}
		num = p.Country + p.Area + num
	}
	if strings.HasPrefix(num, p.Country+"0") {
		num = p.Country + num[len(p.Country)+1:]
	}
	if len(num) < 7 || len(num) > 15 || num[0] == '0' {
		return s, fmt.Errorf("%s in international form (7 to 15 expected)", plural.Count(len(num), "digit"))
	}
	return "+" + num, nil
}
