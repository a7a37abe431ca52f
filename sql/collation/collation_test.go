package collation

import (
	"errors"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

func TestFor(t *testing.T) {
	for _, c := range []struct {
		name   string
		target version.Version
		want   string
		utf8   bool
		cp     int
	}{
		{"Latin1_General_100_CI_AS_SC_UTF8", version.SQL2019, "Latin1_General_100_CI_AS_SC_UTF8", false, 65001},
		{"Latin1_General_100_CI_AS_SC_UTF8", version.SQL2017, "Latin1_General_100_CI_AS_SC", true, 1252},
		{"Latin1_General_100_CI_AS_SC_UTF8", version.SQL2012, "Latin1_General_100_CI_AS_SC", true, 1252},
		{"Latin1_General_100_CI_AS_SC_UTF8", version.SQL2008R2, "Latin1_General_100_CI_AS", true, 1252},
		{"Latin1_General_100_CI_AS_SC_UTF8", version.SQL2008, "Latin1_General_100_CI_AS", true, 1252},
		{"latin1_general_100_ci_as_sc_utf8", version.SQL2014, "latin1_general_100_ci_as_sc", true, 1252},
		{"Latin1_General_100_BIN2_UTF8", version.SQL2008, "Latin1_General_100_BIN2", true, 1252},
		{"Czech_100_CS_AS_KS_WS_SC_UTF8", version.SQL2016, "Czech_100_CS_AS_KS_WS_SC", true, 1250},
		{"Japanese_XJIS_140_CI_AS_VSS_UTF8", version.SQL2017, "Japanese_XJIS_140_CI_AS_VSS", true, 932},
		{"Japanese_XJIS_140_CI_AS_VSS_UTF8", version.SQL2016, "Japanese_XJIS_100_CI_AS_SC", true, 932},
		{"Japanese_Bushu_Kakusu_140_CS_AS_KS_WS", version.SQL2014, "Japanese_Bushu_Kakusu_100_CS_AS_KS_WS_SC", false, 932},
		{"Japanese_Bushu_Kakusu_140_CS_AS_KS_WS", version.SQL2008R2, "Japanese_Bushu_Kakusu_100_CS_AS_KS_WS", false, 932},
		{"Japanese_XJIS_140_BIN2", version.SQL2012, "Japanese_XJIS_100_BIN2", false, 932},
		{"Indic_General_100_CI_AS_SC_UTF8", version.SQL2014, "Indic_General_100_CI_AS_SC", true, 0},
		{"Latin1_General_CI_AS", version.SQL2008, "Latin1_General_CI_AS", false, 1252},
		{"SQL_Latin1_General_CP1_CI_AS", version.SQL2008, "SQL_Latin1_General_CP1_CI_AS", false, 1252},
		{"SQL_Latin1_General_CP1250_CS_AS", version.SQL2008, "SQL_Latin1_General_CP1250_CS_AS", false, 1250},
		{"Maltese_100_CI_AS", version.SQL2008, "Maltese_100_CI_AS", false, -1},
	} {
		m := For(c.name, c.target)
		if m.To != c.want || m.UTF8 != c.utf8 || m.CodePage != c.cp || m.Changed() != (c.want != c.name) || (len(m.Lost) > 0) != m.Changed() {
			t.Errorf("For(%s, %s) = %+v, want %s utf8=%v code page %d", c.name, c.target, m, c.want, c.utf8, c.cp)
		}
	}
}

// TestForEveryTarget: the name For writes needs nothing newer than the
// target, so mapping it again changes nothing.
func TestForEveryTarget(t *testing.T) {
	names := []string{"Latin1_General_100_CI_AS_SC_UTF8", "Japanese_XJIS_140_CI_AS_KS_WS_VSS_UTF8", "Greek_100_BIN2_UTF8", "Chinese_PRC_90_CI_AS_SC"}
	for _, v := range version.All() {
		for _, n := range names {
			m := For(n, v)
			if again := For(m.To, v); again.Changed() {
				t.Errorf("%s for %s: %s, which maps again to %s", n, v, m.To, again.To)
			}
			up := strings.ToUpper(m.To)
			if (v < version.SQL2019 && strings.HasSuffix(up, "_UTF8")) || (v < version.SQL2017 && strings.Contains(up, "_140_")) ||
				(v < version.SQL2012 && strings.Contains(up, "_SC")) {
				t.Errorf("%s for %s: %s is newer than the target", n, v, m.To)
			}
		}
	}
}

func TestRepresentable(t *testing.T) {
	for _, c := range []struct {
		cp   int
		s    string
		want bool
	}{
		{1252, "Grüße, café €", true},
		{1252, "Łódź", false},
		{1250, "Łódź", true},
		{1251, "Москва", true},
		{1252, "Москва", false},
		{932, "東京", true},
		{1252, "😀", false},
		{65001, "😀 Łódź", true},
		{0, "a", false},
		{0, "", true},
	} {
		got, err := Representable(c.cp, c.s)
		if err != nil || got != c.want {
			t.Errorf("Representable(%d, %q) = %v, %v; want %v", c.cp, c.s, got, err, c.want)
		}
	}
	if _, err := Representable(-1, "a"); !errors.Is(err, ErrUnknownCodePage) {
		t.Errorf("unknown code page: %v", err)
	}
}
