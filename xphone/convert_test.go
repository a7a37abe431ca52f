package xphone

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

func TestConvertRefusesNonEmptyOutput(t *testing.T) {
	out := t.TempDir()
	keep := filepath.Join(out, "keep.txt")
	os.WriteFile(keep, []byte("mine"), 0o644)
	_, err := Convert(context.Background(), sampleExport, out, Options{})
	if !errors.Is(err, atomicfile.ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "mine" {
		t.Fatal("existing output touched")
	}
	if _, err := Convert(context.Background(), sampleExport, out, Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keep); !os.IsNotExist(err) {
		t.Error("--force did not replace the folder")
	}
	if _, err := os.Stat(filepath.Join(out, UsersFile)); err != nil {
		t.Error(err)
	}
}

func TestConvertLeavesNothingOnFailure(t *testing.T) {
	parent := t.TempDir()
	export := filepath.Join(parent, "export")
	os.MkdirAll(filepath.Join(export, "voicemail"), 0o755)
	os.WriteFile(filepath.Join(export, "users.csv"), []byte("UserKey;Login;FirstName\r\n1;a;b\r\n"), 0o644)
	out := filepath.Join(parent, "out")
	_, err := Convert(context.Background(), export, out, Options{})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "users.csv:1: ") || !strings.Contains(err.Error(), "LastName") {
		t.Fatalf("err = %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	os.Remove(filepath.Join(export, "users.csv"))
	if _, err := Convert(context.Background(), export, out, Options{}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "no users.csv") {
		t.Errorf("without users.csv: %v", err)
	}
}

func TestConvertCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Convert(ctx, sampleExport, out, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output folder exists after a cancelled run")
	}
}

func TestCheckWritesNothing(t *testing.T) {
	var stages []string
	rep, err := Check(context.Background(), sampleExport, Options{Progress: func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problems() != 10 || len(rep.Prompts) != 9 {
		t.Errorf("%d problems, %d prompts", rep.Problems(), len(rep.Prompts))
	}
	if strings.Join(stages, ",") != "users,prompts" {
		t.Errorf("progress stages %v", stages)
	}
}

// Thumbs.db and friends are ignored, not problems; hidden entries at the
// top (our own temporary folder when OUT_DIR is inside the export) are not
// even listed.
func TestJunkIgnored(t *testing.T) {
	export := t.TempDir()
	os.WriteFile(filepath.Join(export, "users.csv"), []byte("UserKey;Login;FirstName;LastName\r\n1;D\\a;Ann;Lee\r\n"), 0o644)
	for _, f := range []string{"voicemail/1/Thumbs.db", "voicemail/desktop.ini", "autoattendant/Main/._menu.wav", "readme.txt", ".hidden/x"} {
		os.MkdirAll(filepath.Dir(filepath.Join(export, f)), 0o755)
		os.WriteFile(filepath.Join(export, f), []byte("x"), 0o644)
	}
	rep, err := Check(context.Background(), export, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problems() != 0 || strings.Join(rep.Ignored, ",") != "readme.txt,voicemail/desktop.ini,voicemail/1/Thumbs.db,autoattendant/Main/._menu.wav" {
		t.Errorf("problems %v, ignored %v", rep.Skipped, rep.Ignored)
	}
}
