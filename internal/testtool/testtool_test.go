package testtool

import "testing"

func TestInCI(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "1": true, "TRUE": true, "false": false, "": false, "yes": false} {
		t.Setenv("CI", v)
		if got := InCI(); got != want {
			t.Errorf("CI=%q: InCI() = %v, want %v", v, got, want)
		}
	}
}

// fakeTB records how Missing stopped the test.
type fakeTB struct {
	testing.TB
	fatal, skip bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.fatal = true }
func (f *fakeTB) Skipf(string, ...any)  { f.skip = true }
func (f *fakeTB) Logf(string, ...any)   {}

func TestMissingFailsInCI(t *testing.T) {
	t.Setenv("CI", "true")
	var f fakeTB
	Missing(&f, "mono is not installed")
	if !f.fatal || f.skip {
		t.Fatalf("in CI Missing must fail, not skip: %+v", f)
	}
	t.Setenv("CI", "")
	f = fakeTB{}
	Missing(&f, "mono is not installed")
	if f.fatal || !f.skip {
		t.Fatalf("outside CI Missing must skip: %+v", f)
	}
}
