// Package pgtest starts a throw-away PostgreSQL cluster for tests from the
// binaries of an installed PostgreSQL (Debian's postgresql package): initdb in
// a temporary folder, pg_ctl on a free loopback port with trust
// authentication and a private socket folder, and an immediate stop when the
// test (or the test package) is done. There is no mock: tests talk to a real
// server.
//
// When run as root, initdb and the server run as the "postgres" OS user
// (initdb refuses root); otherwise as the current user. Without PostgreSQL
// binaries a test fails with a message saying how to install them, unless
// XDM_SKIP_PG=1 is set, which skips it.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/testtool"
)

// SkipEnv is the environment variable that turns PostgreSQL tests into skips.
const SkipEnv = "XDM_SKIP_PG"

// Cluster is a running throw-away PostgreSQL server.
type Cluster struct {
	Port    int    // TCP port on 127.0.0.1
	BinDir  string // folder of initdb, pg_ctl, psql, pg_dump
	Version string // server version as reported by postgres --version

	dir     string // everything: data, socket, log
	runAs   *osUser
	stopped bool
}

// Start starts a cluster for one test and stops it in t.Cleanup.
func Start(t testing.TB) *Cluster {
	t.Helper()
	skipIfRequested(t)
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

var (
	sharedOnce sync.Once
	shared     *Cluster
	sharedErr  error
	inMain     bool // Main runs the tests: it stops the shared cluster
)

// Shared returns the cluster of the whole test package, starting it on first
// use. The package's TestMain must call Main, which stops it at the end;
// without Main, Shared fails the test rather than leave a server running
// after the test binary exits.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	if !inMain {
		t.Fatal("pgtest.Shared: the package's TestMain must run the tests through pgtest.Main, which stops the shared cluster: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
	}
	skipIfRequested(t)
	sharedOnce.Do(func() { shared, sharedErr = New() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// Main runs the tests of a package and stops the shared cluster afterwards:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	inMain = true
	code := m.Run()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

func skipIfRequested(t testing.TB) {
	if os.Getenv(SkipEnv) == "1" {
		testtool.Missing(t, SkipEnv+"=1 asks to leave PostgreSQL out")
	}
}

// BinDir finds the PostgreSQL server binaries: pg_config --bindir, else the
// newest /usr/lib/postgresql/*/bin, else the folder of initdb on PATH.
func BinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("pgtest: no PostgreSQL server binaries (initdb) found in pg_config --bindir, /usr/lib/postgresql/*/bin or PATH; " +
		"install them with scripts/setup.sh (apt-get install postgresql) or set " + SkipEnv + "=1 to skip these tests")
}

func pgMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// New initialises and starts a cluster; the caller must Stop it.
func New() (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	user, err := serverUser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "xdm-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{BinDir: bin, dir: dir, runAs: user}
	if err := c.init(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	var startErr error
	for range 3 { // the free port may be taken between probe and start
		if c.Port, err = freePort(); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
		if startErr = c.start(); startErr == nil {
			return c, nil
		}
	}
	_ = os.RemoveAll(dir)
	return nil, startErr
}

func (c *Cluster) data() string   { return filepath.Join(c.dir, "data") }
func (c *Cluster) socket() string { return filepath.Join(c.dir, "sock") }
func (c *Cluster) log() string    { return filepath.Join(c.dir, "server.log") }

func (c *Cluster) init() error {
	for _, d := range []string{c.dir, c.socket()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		if err := c.runAs.chown(d); err != nil {
			return fmt.Errorf("pgtest: handing %s to the server user: %w", d, err)
		}
	}
	out, err := c.server("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	if err != nil {
		return fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	if v, err := exec.Command(filepath.Join(c.BinDir, "postgres"), "--version").Output(); err == nil {
		c.Version = strings.TrimSpace(string(v))
	}
	return nil
}

func (c *Cluster) start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
		c.Port, c.socket())
	out, err := c.server("pg_ctl", "-D", c.data(), "-l", c.log(), "-w", "-t", "60", "-o", opts, "start")
	if err != nil {
		logText, _ := os.ReadFile(c.log())
		return fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, logText)
	}
	return nil
}

// Stop stops the server at once (pg_ctl -m immediate) and removes its files.
func (c *Cluster) Stop() error {
	if c.stopped {
		return nil
	}
	c.stopped = true
	out, err := c.server("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
	if rmErr := os.RemoveAll(c.dir); err == nil && rmErr != nil {
		err = rmErr
	}
	if err != nil {
		return fmt.Errorf("pgtest: pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// server runs a server binary as the server user.
func (c *Cluster) server(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.BinDir, name), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	c.runAs.apply(cmd)
	return cmd.CombinedOutput()
}

// DSN is a pgx/libpq URL for database db as the superuser postgres.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

var dbSeq struct {
	sync.Mutex
	n int
}

// CreateDB creates a fresh database with a name derived from prefix and
// returns its name. It is dropped when t ends.
func (c *Cluster) CreateDB(t testing.TB, prefix string) string {
	t.Helper()
	dbSeq.Lock()
	dbSeq.n++
	name := fmt.Sprintf("%s_%d", strings.ToLower(prefix), dbSeq.n)
	dbSeq.Unlock()
	c.Psql(t, "postgres", fmt.Sprintf(`CREATE DATABASE %q TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`, name))
	t.Cleanup(func() {
		if !c.stopped {
			_, _ = c.run(context.Background(), nil, "psql", c.psqlArgs("postgres", "-c", fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name))...)
		}
	})
	return name
}

// Psql runs sql (one or more statements) in db with psql, stopping at the
// first error, and returns psql's unaligned, tuples-only output.
func (c *Cluster) Psql(t testing.TB, db, sql string) string {
	t.Helper()
	out, err := c.run(context.Background(), strings.NewReader(sql), "psql", c.psqlArgs(db, "-f", "-")...)
	if err != nil {
		t.Fatalf("psql %s: %v\n%s\nSQL:\n%s", db, err, out, sql)
	}
	return string(out)
}

func (c *Cluster) psqlArgs(db string, more ...string) []string {
	return append([]string{"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
		"-p", strconv.Itoa(c.Port), "-U", "postgres", "-d", db}, more...)
}

// Run runs a client binary of the cluster (psql, pg_dump, pg_restore) with
// connection flags for db appended after args, stdin from in, and returns its
// standard output.
func (c *Cluster) Run(t testing.TB, in []byte, name, db string, args ...string) []byte {
	t.Helper()
	args = append(args, "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres", "-d", db)
	var r io.Reader
	if in != nil {
		r = bytes.NewReader(in)
	}
	out, err := c.run(context.Background(), r, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func (c *Cluster) run(ctx context.Context, in io.Reader, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(c.BinDir, name), args...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGCLIENTENCODING=UTF8")
	if in != nil {
		cmd.Stdin = in
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return append(stdout.Bytes(), stderr.Bytes()...), err
	}
	return stdout.Bytes(), nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
