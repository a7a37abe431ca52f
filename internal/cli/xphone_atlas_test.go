package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const atlasSamples = "../../xphone/atlas/testdata/"

func TestXPhoneAtlasShow(t *testing.T) {
	code, out, errOut := runCLI(t, "xphone", "atlas", "show", atlasSamples+"atlas-sqllogin.xml")
	if code != ExitOK || !strings.Contains(out, "SQL login xphone (password set)") || !strings.Contains(out, "Password=xxxxx") {
		t.Fatalf("code %d:\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "S3cr") {
		t.Fatal("a password was printed")
	}
	code, _, errOut = runCLI(t, "xphone", "atlas", "show", atlasSamples+"atlas-unclosed.xml")
	if code != ExitInvalid || !strings.Contains(errOut, "atlas-unclosed.xml:20:3: not well-formed XML") {
		t.Fatalf("code %d: %s", code, errOut)
	}
}

func TestXPhoneAtlasSet(t *testing.T) {
	b, err := os.ReadFile(atlasSamples + "atlas-sqllogin.xml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "atlas.xml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "xphone", "atlas", "set", p, "--server", `SQL02\XPHONE`, "--windows-login", "--dry-run")
	if code != ExitOK || strings.Count(out, "\n") != 4 || strings.Contains(out+errOut, "S3cr") {
		t.Fatalf("dry run: code %d\n%s%s", code, out, errOut)
	}
	if got, _ := os.ReadFile(p); string(got) != string(b) {
		t.Fatal("the dry run wrote")
	}
	code, _, errOut = runCLI(t, "xphone", "atlas", "set", p, "--instance", `NOPE\X=Y`)
	if code != ExitInvalid || !strings.Contains(errOut, "no database matches") {
		t.Fatalf("unknown instance: code %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, "xphone", "atlas", "set", p, "--database", "XPDATA", "--windows-login"); code != ExitOK {
		t.Fatalf("code %d %s", code, errOut)
	}
	got, _ := os.ReadFile(p)
	if !strings.Contains(string(got), `useLogin="Windows" connectionString="Server=SQL01\XPHONE;Database=XPDATA;Integrated Security=True"`) ||
		!strings.Contains(string(got), `PWD={S3cr;et}`) {
		t.Fatalf("result:\n%s", got)
	}
	for _, args := range [][]string{{"xphone", "atlas", "set", p}, {"xphone", "atlas", "set", p, "--instance", "x"}, {"xphone", "atlas", "set", p, "--instance", "a=b", "--server", "c"}} {
		if code, _, _ := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}

// An unreadable connection string is not shown, in --json either.
func TestXPhoneAtlasShowUnreadable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "atlas.xml")
	doc := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<atlas>\n  <databases>\n" +
		"    <database name=\"XPDATA\" connectionString=\"Server=SQL01;Password=&quot;Sup3rS3cret\" />\n" +
		"  </databases>\n</atlas>\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"xphone", "atlas", "show", p}, {"xphone", "atlas", "show", p, "--json"}} {
		code, out, errOut := runCLI(t, args...)
		if code != ExitOK || !strings.Contains(out, "invalid connection string") || strings.Contains(out+errOut, "S3cret") {
			t.Fatalf("%v: code %d:\n%s%s", args, code, out, errOut)
		}
	}
}

// TestXPhoneAtlasSetKeepsReferences: as a user runs it, set changes only
// the instance in a connection string full of references; a new value
// with a character XML cannot hold is a wrong command line.
func TestXPhoneAtlasSetKeepsReferences(t *testing.T) {
	orig := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<atlas><databases>\r\n" +
		"  <database name='XPDATA' connectionString='Data Source=(local)\\XPCONNECT;&#10;Initial Catalog=XPDATA;Application Name=&apos;A&amp;B&#9;&quot;C&quot;&apos;;&#x20;Integrated Security=True' />\r\n" +
		"</databases></atlas>"
	p := filepath.Join(t.TempDir(), "atlas.xml")
	if err := os.WriteFile(p, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "xphone", "atlas", "set", p, "--server", "SQL\x01X"); code != ExitUsage || !strings.Contains(errOut, "XML 1.0 cannot hold") {
		t.Fatalf("control character: code %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "xphone", "atlas", "set", p, "--instance", `(local)\XPCONNECT=(local)\XPCONNECT2019`); code != ExitOK {
		t.Fatalf("code %d %s", code, errOut)
	}
	got, _ := os.ReadFile(p)
	if want := strings.Replace(orig, `(local)\XPCONNECT;`, `(local)\XPCONNECT2019;`, 1); string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
