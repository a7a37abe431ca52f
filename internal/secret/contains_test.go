package secret

import "testing"

func TestContains(t *testing.T) {
	cases := []struct {
		s, secret string
		want      bool
	}{
		{"login failed for sa", "Secr3t", false},
		{"dsn sqlserver://sa:Secr3t@h", "Secr3t", true},
		{"parse \"sqlserver://sa:a%2Fb@h\": invalid", "a/b", true},
		{"query password=p%26q", "p&q", true},
		{"anything", "", false},
	}
	for _, c := range cases {
		if got := Contains(c.s, c.secret); got != c.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", c.s, c.secret, got, c.want)
		}
	}
}
