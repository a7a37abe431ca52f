package version

import "testing"

func TestParse(t *testing.T) {
	cases := map[string]Version{
		"2014": SQL2014, "2008R2": SQL2008R2, "2008 r2": SQL2008R2, "120": SQL2014,
		"12.0.6024.0": SQL2014, "10.50.1600": SQL2008R2, "10.0": SQL2008, "SQL Server 2019": SQL2019, "16.0": SQL2022,
	}
	for in, want := range cases {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "2015", "99", "x.y"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if SQL2008R2.MaxCompatibilityLevel() != 100 || SQL2014.MaxCompatibilityLevel() != 120 {
		t.Error("MaxCompatibilityLevel")
	}
}
