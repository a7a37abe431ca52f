package corpus

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"
)

func isTar(rel string) bool {
	l := strings.ToLower(rel)
	return strings.HasSuffix(l, ".tar") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tgz")
}

// listTar lists an archive with a tar program: its member names, or an error
// when it fails or warns.
func listTar(prog, path string) ([]string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(prog, "-tf", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		return nil, fmt.Errorf("%s -tf: %v: %s", filepath.Base(prog), err, strings.TrimSpace(stderr.String()))
	}
	names := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(names) == 0 || names[0] == "" {
		return nil, fmt.Errorf("%s -tf: no members", filepath.Base(prog))
	}
	return names, nil
}

// TestTarSamples: every TAR sample lists without an error or a warning in
// GNU tar (the POSIX/GNU reference) and in bsdtar (libarchive, the tar.exe
// of Windows), and both see the same members. Where the sample is built
// from a folder beside it (smartbackup.tar from SmartBackup/), every regular
// member must equal its file there: the archive is not stale.
func TestTarSamples(t *testing.T) {
	gnutar := testtool.LookPath(t, "tar", "apt-get install tar")
	if out, err := exec.Command(gnutar, "--version").Output(); err != nil || !bytes.Contains(out, []byte("GNU tar")) {
		testtool.Missing(t, "tar on PATH is not GNU tar (apt-get install tar)")
	}
	bsdtar := testtool.LookPath(t, "bsdtar", "apt-get install libarchive-tools, or scripts/setup.sh")
	files := samples(t, 1, isTar)
	checkAll(t, files, func(t *testing.T, rel string) error {
		path := abs(t, rel)
		gnu, err := listTar(gnutar, path)
		if err != nil {
			return err
		}
		bsd, err := listTar(bsdtar, path)
		if err != nil {
			return err
		}
		if strings.Join(gnu, "\n") != strings.Join(bsd, "\n") {
			return fmt.Errorf("GNU tar lists\n%s\nbsdtar lists\n%s", strings.Join(gnu, "\n"), strings.Join(bsd, "\n"))
		}
		return sameAsFolder(t, gnutar, path, gnu)
	})
}

// sameAsFolder compares the regular members of the archive with the files
// of the same names beside it, when the archive's first member is a folder
// that exists there.
func sameAsFolder(t *testing.T, gnutar, path string, names []string) error {
	dir := filepath.Dir(path)
	top := strings.SplitN(names[0], "/", 2)[0]
	if st, err := os.Stat(filepath.Join(dir, top)); err != nil || !st.IsDir() {
		return nil
	}
	for _, name := range names {
		file := filepath.Join(dir, filepath.FromSlash(name))
		st, err := os.Lstat(file)
		if err != nil {
			return fmt.Errorf("member %s has no file beside the archive (run the archive's make script): %v", name, err)
		}
		if !st.Mode().IsRegular() {
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := exec.Command(gnutar, "-xOf", path, name).Output()
		if err != nil {
			return fmt.Errorf("tar -xOf %s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("member %s differs from %s: the archive is stale (run its make script)", name, file)
		}
	}
	if err := filepath.WalkDir(filepath.Join(dir, top), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for _, n := range names {
			if n == filepath.ToSlash(rel) {
				return nil
			}
		}
		return fmt.Errorf("%s is not in the archive: the archive is stale (run its make script)", rel)
	}); err != nil {
		return err
	}
	return nil
}
