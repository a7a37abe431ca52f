package registry

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWow64FileInPlace: the file is rewritten and its original kept as
// .orig; a second run finds nothing to move and writes nothing.
func TestWow64FileInPlace(t *testing.T) {
	data := readSample(t, "xpr-v5.reg")
	p := writeTemp(t, "sat.reg", data)
	rep, w, err := Wow64File(context.Background(), p, Wow64Options{}, FileOptions{})
	if err != nil || rep.Moved != 5 || w.Output != p || w.Backup != p+".orig" {
		t.Fatalf("%+v %+v %v", rep, w, err)
	}
	orig, _ := os.ReadFile(p + ".orig")
	if !bytes.Equal(orig, data) {
		t.Fatal("the original was not kept")
	}
	var want bytes.Buffer
	if _, err := Wow64(context.Background(), bytes.NewReader(data), &want, Wow64Options{}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("the file is not the stream's output")
	}
	rep, w, err = Wow64File(context.Background(), p, Wow64Options{}, FileOptions{})
	if err != nil || rep.Moved != 0 || w.Output != "" {
		t.Fatalf("second run: %+v %+v %v", rep, w, err)
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(after, got) {
		t.Fatal("a run with nothing to move changed the file")
	}
}

func TestWow64FileOutput(t *testing.T) {
	data := readSample(t, "regedit4.reg")
	p := writeTemp(t, "sat.reg", data)
	out := filepath.Join(filepath.Dir(p), "sat64.reg")
	if _, w, err := Wow64File(context.Background(), p, Wow64Options{}, FileOptions{Output: out}); err != nil || w.Output != out || w.Backup != "" {
		t.Fatalf("%+v %v", w, err)
	}
	if in, _ := os.ReadFile(p); !bytes.Equal(in, data) {
		t.Fatal("the input changed")
	}
	if _, _, err := Wow64File(context.Background(), p, Wow64Options{}, FileOptions{Output: out}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("existing output: %v", err)
	}
	if _, _, err := Wow64File(context.Background(), p, Wow64Options{}, FileOptions{Output: out, Force: true}); err != nil {
		t.Fatalf("--force: %v", err)
	}
	// A dry run writes nothing.
	dry := filepath.Join(filepath.Dir(p), "dry.reg")
	rep, w, err := Wow64File(context.Background(), p, Wow64Options{}, FileOptions{Output: dry, DryRun: true})
	if _, statErr := os.Stat(dry); err != nil || rep.Moved != 1 || w.Output != "" || statErr == nil {
		t.Fatalf("dry run: %+v %+v %v", rep, w, err)
	}
}

// TestRewriteFileInvalid: a file with an error is left as it was, and
// nothing is written.
func TestRewriteFileInvalid(t *testing.T) {
	data := readSample(t, "invalid-continuation.reg")
	p := writeTemp(t, "bad.reg", data)
	_, w, err := RenameHostFile(context.Background(), p, RenameOptions{From: "A", To: "B", Under: []string{`HKLM\SOFTWARE`}}, FileOptions{})
	if err == nil || w.Output != "" {
		t.Fatalf("%+v %v", w, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if after, _ := os.ReadFile(p); !bytes.Equal(after, data) || len(entries) != 1 {
		t.Fatalf("changed or left files: %v", entries)
	}
}

func TestRenameHostFile(t *testing.T) {
	p := writeTemp(t, "node.reg", readSample(t, "cluster-node.reg"))
	rep, w, err := RenameHostFile(context.Background(), p, RenameOptions{From: "TLCLKN1", To: "XPRCLUSTER"}, FileOptions{})
	if err != nil || rep.Changes == 0 || w.Backup != p+".orig" {
		t.Fatalf("%+v %+v %v", rep, w, err)
	}
	// In place again: NODE.orig exists and is never replaced; without Force
	// a run that changes something is refused.
	if _, _, err := RenameHostFile(context.Background(), p, RenameOptions{From: "XPRCLUSTER", To: "TLCLKN1"}, FileOptions{}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("%v", err)
	}
}
