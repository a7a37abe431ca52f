// Package version names SQL Server versions as xdm's downgrade rules use them.
package version

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a SQL Server release, numbered as the version rules number them
// (the product's major version times ten, 2008 R2 being 105).
type Version int

// The releases xdm knows. Scripts can target any of them.
const (
	SQL2008   Version = 100
	SQL2008R2 Version = 105
	SQL2012   Version = 110
	SQL2014   Version = 120
	SQL2016   Version = 130
	SQL2017   Version = 140
	SQL2019   Version = 150
	SQL2022   Version = 160
	SQL2025   Version = 170
)

var names = []struct {
	v    Version
	name string
}{
	{SQL2008, "2008"}, {SQL2008R2, "2008R2"}, {SQL2012, "2012"}, {SQL2014, "2014"},
	{SQL2016, "2016"}, {SQL2017, "2017"}, {SQL2019, "2019"}, {SQL2022, "2022"}, {SQL2025, "2025"},
}

// All returns the known versions, oldest first.
func All() []Version {
	out := make([]Version, len(names))
	for i, n := range names {
		out[i] = n.v
	}
	return out
}

// Parse accepts a release year ("2014", "2008R2", "2008 R2"), a rule number
// ("120") or a product version ("12.0", "12.0.6024.0").
func Parse(s string) (Version, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	t = strings.TrimPrefix(t, "SQLSERVER")
	for _, n := range names {
		if t == n.name {
			return n.v, nil
		}
	}
	if n, err := strconv.Atoi(t); err == nil {
		for _, k := range names {
			if int(k.v) == n {
				return k.v, nil
			}
		}
	}
	if major, rest, ok := strings.Cut(t, "."); ok {
		m, err := strconv.Atoi(major)
		if err == nil {
			v := Version(m * 10)
			if m == 10 && strings.HasPrefix(rest, "50") {
				v = SQL2008R2
			}
			if v.Known() {
				return v, nil
			}
		}
	}
	return 0, fmt.Errorf("unknown SQL Server version %q (want one of 2008, 2008R2, 2012, 2014, 2016, 2017, 2019, 2022, 2025)", s)
}

// Known reports whether v is one of the listed releases.
func (v Version) Known() bool {
	for _, n := range names {
		if n.v == v {
			return true
		}
	}
	return false
}

// String returns "SQL Server 2014".
func (v Version) String() string {
	for _, n := range names {
		if n.v == v {
			if v == SQL2008R2 {
				return "SQL Server 2008 R2"
			}
			return "SQL Server " + n.name
		}
	}
	return fmt.Sprintf("SQL Server (version %d)", int(v))
}

// MaxCompatibilityLevel is the highest database COMPATIBILITY_LEVEL the
// release accepts (2008 R2 shares 100 with 2008).
func (v Version) MaxCompatibilityLevel() int {
	if v == SQL2008R2 {
		return 100
	}
	return int(v)
}
