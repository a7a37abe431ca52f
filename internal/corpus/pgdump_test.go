package corpus

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/pgtest"
	"github.com/xdm-migrate/xdm/internal/testgen/pgdumpgen"
	"github.com/xdm-migrate/xdm/internal/testtool"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// isPgDump tells a plain-format pg_dump file by the banner pg_dump writes
// at its top (after the \restrict line of newer versions).
func isPgDump(t *testing.T, rel string) bool {
	f, err := os.Open(abs(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := f.Read(head)
	return bytes.Contains(head[:n], []byte("-- PostgreSQL database dump"))
}

// restore runs the dump with psql into a fresh database, stopping at the
// first error, and fails on any message psql prints (a warning too).
// It returns the database's name.
func restore(t *testing.T, c *pgtest.Cluster, name string, dump []byte) string {
	t.Helper()
	db := c.CreateDB(t, "corpus")
	cmd := exec.Command(filepath.Join(c.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres", "-d", db, "-f", "-")
	cmd.Stdin = bytes.NewReader(dump)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("psql -v ON_ERROR_STOP=1 -f %s: %v\n%s%s", name, err, stdout.Bytes(), stderr.Bytes())
	}
	return db
}

// uppercaseAddresses counts the rows of the UCC target columns (found in
// the catalog by name, in any spelling) whose value lower() would change.
func uppercaseAddresses(t *testing.T, c *pgtest.Cluster, db string) (targets, upper int) {
	t.Helper()
	cols := c.Psql(t, db, `SELECT format('%I.%I.%I', n.nspname, r.relname, a.attname)
FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
WHERE r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND lower(a.attname) = 'invitationaddress'
  AND (lower(n.nspname), lower(r.relname)) IN (('symvcc', 'symconferenceusertempl'), ('symconferencing', 'invitees'))`)
	for _, col := range strings.Fields(cols) {
		parts := strings.Split(col, ".")
		n, err := strconv.Atoi(strings.TrimSpace(c.Psql(t, db, fmt.Sprintf(
			"SELECT count(*) FROM %s.%s WHERE %s <> lower(%s)", parts[0], parts[1], parts[2], parts[2]))))
		if err != nil {
			t.Fatal(err)
		}
		targets++
		upper += n
	}
	return targets, upper
}

// TestPgDumpSamplesRestore: every pg_dump sample of the repository, and the
// dump.sql inside the Smart Backup TAR, restores with psql into an empty
// database; so does what the UCC lowercase fix (sql/pgdump) makes of it,
// after which no invitation address has a capital left.
func TestPgDumpSamplesRestore(t *testing.T) {
	if _, err := pgtest.BinDir(); err != nil {
		testtool.Missing(t, err.Error())
	}
	c := pgtest.Shared(t)
	files := samples(t, 10, func(rel string) bool { return !isTar(rel) && isPgDump(t, rel) })
	dumps := map[string][]byte{}
	for _, rel := range files {
		b, err := os.ReadFile(abs(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		dumps[rel] = b
	}
	gnutar := testtool.LookPath(t, "tar", "apt-get install tar")
	tars := samples(t, 1, isTar)
	for _, rel := range tars {
		names, err := listTar(gnutar, abs(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.EqualFold(filepath.Base(name), "dump.sql") {
				b, err := exec.Command(gnutar, "-xOf", abs(t, rel), name).Output()
				if err != nil {
					t.Fatalf("tar -xOf %s %s: %v", rel, name, err)
				}
				dumps[rel+":"+name] = b
			}
		}
	}
	if _, ok := dumps["testdata/backup/smartbackup.tar:SmartBackup/UCC/dump.sql"]; !ok {
		t.Fatalf("the Smart Backup sample's dump.sql was not found among %d dumps", len(dumps))
	}
	needingFix := 0
	for name, dump := range dumps {
		t.Run(name, func(t *testing.T) {
			if roundTrip(t, c, name, dump) > 0 {
				needingFix++
			}
		})
	}
	if needingFix == 0 {
		t.Error("no sample has an address that needs the fix: the corpus does not exercise it")
	}
}

// roundTrip restores the dump, runs the UCC lowercase fix on it and restores
// the result: the fix must change as many addresses as the database holds
// with capitals, and leave none. It returns that number.
func roundTrip(t *testing.T, c *pgtest.Cluster, name string, dump []byte) (upper int) {
	t.Helper()
	db := restore(t, c, name, dump)
	if n := c.Psql(t, db, `SELECT count(*) FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
WHERE r.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`); strings.TrimSpace(n) == "0" {
		t.Fatalf("%s restored no table", name)
	}
	targets, upper := uppercaseAddresses(t, c, db)
	var fixed bytes.Buffer
	rep, err := pgdump.Rewrite(context.Background(), bytes.NewReader(dump), &fixed, pgdump.Options{Name: name})
	if err != nil {
		t.Fatalf("the lowercase fix: %v", err)
	}
	if rep.Changed != int64(upper) {
		t.Errorf("the fix changed %d addresses; the restored database has %d with capitals", rep.Changed, upper)
	}
	db = restore(t, c, name+" (lowercased)", fixed.Bytes())
	if after, left := uppercaseAddresses(t, c, db); after != targets || left != 0 {
		t.Errorf("after the fix: %d target columns (want %d), %d addresses with capitals (want 0)", after, targets, left)
	}
	return upper
}

// TestGeneratedDumpRestores: the synthetic dumps of internal/testgen/pgdumpgen
// (the tests' and benchmarks' large inputs) are real too: psql restores them,
// and the number of changes the generator announces is what the database
// holds.
func TestGeneratedDumpRestores(t *testing.T) {
	if _, err := pgtest.BinDir(); err != nil {
		testtool.Missing(t, err.Error())
	}
	c := pgtest.Shared(t)
	var dump bytes.Buffer
	st, err := pgdumpgen.Write(&dump, pgdumpgen.Options{Size: 256 << 10, Templates: 120, Invitees: 700})
	if err != nil {
		t.Fatal(err)
	}
	if upper := roundTrip(t, c, "pgdumpgen", dump.Bytes()); upper != st.Changes || upper == 0 {
		t.Errorf("the generator announced %d changes; the restored database has %d addresses with capitals", st.Changes, upper)
	}
}
