package mssql

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
)

func TestParseServer(t *testing.T) {
	cases := []struct {
		in   string
		want Address
	}{
		{`SQLSERVER\SQL2016`, Address{Host: "SQLSERVER", Instance: "SQL2016"}},
		{`tcp:db.example,1433`, Address{Protocol: "tcp", Host: "db.example", Port: 1433}},
		{`.\SQLEXPRESS`, Address{Host: "localhost", Instance: "SQLEXPRESS"}},
		{`(local)\XPCONNECT`, Address{Host: "localhost", Instance: "XPCONNECT"}},
		{`(local)`, Address{Host: "localhost"}},
		{`np:SRV\INST`, Address{Protocol: "np", Host: "SRV", Instance: "INST"}},
		{`lpc:.`, Address{Protocol: "lpc", Host: "localhost"}},
		{`admin:SRV`, Address{Protocol: "admin", Host: "SRV"}},
		{`\\SRV\pipe\sql\query`, Address{Protocol: "np", Host: "SRV", Pipe: `\\SRV\pipe\sql\query`}},
		{`np:\\.\pipe\MSSQL$X\sql\query`, Address{Protocol: "np", Host: "localhost", Pipe: `\\.\pipe\MSSQL$X\sql\query`}},
		{`TCP:10.0.0.5,50123`, Address{Protocol: "tcp", Host: "10.0.0.5", Port: 50123}},
	}
	for _, c := range cases {
		got, err := ParseServer(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseServer(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"srv,notaport", "srv,70000", `ftp:srv`, `\\srv\share`, `np:srv,1433`, `(localdb)\MSSQLLocalDB`} {
		if _, err := ParseServer(bad); err == nil {
			t.Errorf("ParseServer(%q) accepted", bad)
		}
	}
}

// TestPipesOutsideWindows: where go-mssqldb has no named pipes or shared
// memory, the error says so and how to use TCP/IP, not "invalid URL".
func TestPipesOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("named pipes and shared memory work on Windows")
	}
	for _, s := range []string{`np:SRV\XPHONE`, `lpc:.`, `\\SRV\pipe\sql\query`} {
		_, err := (ConnOptions{Server: s}).Address()
		if !errors.Is(err, ErrProtocol) {
			t.Fatalf("%s: error %v, want ErrProtocol", s, err)
		}
		for _, want := range []string{"go-mssqldb speaks", "Windows only", "TCP/IP", "SQL Server Configuration Manager"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", s, err, want)
			}
		}
	}
	// the pipe of a named instance names the instance whose TCP/IP to enable
	for s, want := range map[string]string{
		`np:\\.\pipe\MSSQL$SQLEXPRESS\sql\query`: `localhost\SQLEXPRESS with the SQL Server Browser`,
		`\\SRV\pipe\mssql$XPHONE\sql\query`:      `Protocols for XPHONE >`,
		`\\SRV\pipe\sql\query`:                   `Protocols for MSSQLSERVER >`,
	} {
		_, err := (ConnOptions{Server: s}).Address()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to say %q", s, err, want)
		}
	}
}

// TestRedactedNeverShowsPartOfThePassword: a password that is a substring
// of the rest ("sql" in "sqlserver") is neither shown nor marked.
func TestRedactedNeverShowsPartOfThePassword(t *testing.T) {
	o := ConnOptions{Server: `SQLSERVER\SQL2016`, Database: "XPDATA", User: "sa", Password: "sql"}
	if r := o.Redacted(); r != `SQLSERVER\SQL2016 (database XPDATA, login sa)` {
		t.Errorf("Redacted() = %q", r)
	}
	o = ConnOptions{DSN: "sqlserver://sa@srv?database=x", Password: "pw123"}
	if cs := o.dsnWithPassword(); !strings.Contains(cs, "pw123") {
		t.Errorf("password not merged into DSN: %q", cs)
	}
	if strings.Contains(o.Redacted(), "pw123") {
		t.Error("Redacted shows the merged password")
	}
}

// fakeBrowser answers SQL Server Browser requests on a loopback UDP port
// with the given instances.
func fakeBrowser(t *testing.T, instances string) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 64)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 1 || buf[0] != 0x03 { // CLNT_UCAST_EX
				continue
			}
			resp := append([]byte{0x05, byte(len(instances)), byte(len(instances) >> 8)}, instances...)
			pc.WriteTo(resp, addr)
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

func TestBrowserLookupConnectsToTheInstancePort(t *testing.T) {
	srv, err := tdsfake.Start(func(string) []tdsfake.Token { return []tdsfake.Token{tdsfake.Print("hello")} })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	browser := fakeBrowser(t, "ServerName;LOOP;InstanceName;MSSQLSERVER;IsClustered;No;Version;16.0.1000.6;tcp;1;;"+
		"ServerName;LOOP;InstanceName;XPCONNECT;IsClustered;No;Version;16.0.1000.6;tcp;"+strconv.Itoa(srv.Port())+";np;\\\\LOOP\\pipe\\MSSQL$XPCONNECT\\sql\\query;;")
	o := ConnOptions{Server: `127.0.0.1\XPCONNECT`, User: "sa", Password: "pw", Encrypt: "disable", BrowserPort: browser}
	db, err := Connect(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if srv.Logins() != 1 {
		t.Errorf("%d logins at the instance's port", srv.Logins())
	}

	o.Server = `127.0.0.1\NOPE`
	_, err = Connect(context.Background(), o)
	if !errors.Is(err, ErrBrowser) || !strings.Contains(err.Error(), "MSSQLSERVER, XPCONNECT") {
		t.Errorf("unknown instance: %v", err)
	}
}

func TestBrowserThatDoesNotAnswer(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // reads nothing, answers nothing
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	o := ConnOptions{Server: `127.0.0.1\XPCONNECT`, Encrypt: "disable", BrowserPort: pc.LocalAddr().(*net.UDPAddr).Port, LoginTimeout: 5 * time.Second}
	start := time.Now()
	_, err = Connect(context.Background(), o)
	if !errors.Is(err, ErrBrowser) || !strings.Contains(err.Error(), "SQL Server Browser") || !strings.Contains(err.Error(), "127.0.0.1,PORT") {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("the lookup took %s", d)
	}
}

// TestSilentServerTimesOut: a server that accepts the connection and never
// answers holds the login for the login timeout, not longer.
func TestSilentServerTimesOut(t *testing.T) {
	srv, err := tdsfake.StartConfig(tdsfake.Config{Silent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	start := time.Now()
	_, err = Connect(context.Background(), ConnOptions{Server: "127.0.0.1," + strconv.Itoa(srv.Port()), Encrypt: "disable", LoginTimeout: time.Second})
	d := time.Since(start)
	if !errors.Is(err, ErrLoginTimeout) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %v, want a login timeout naming the server", err)
	}
	if d < 900*time.Millisecond || d > 3*time.Second {
		t.Errorf("gave up after %s, want about the login timeout of 1s", d)
	}
}

// TestCancelWhileConnecting: Ctrl-C (the context) ends a login at once.
func TestCancelWhileConnecting(t *testing.T) {
	srv, err := tdsfake.StartConfig(tdsfake.Config{Silent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err = Connect(ctx, ConnOptions{Server: "127.0.0.1," + strconv.Itoa(srv.Port()), Encrypt: "disable", LoginTimeout: -1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned %s after the start, long after Ctrl-C", d)
	}
}

// TestLoginTimeoutIsNotAQueryTimeout: a slow login within the timeout
// succeeds, and a batch that runs longer than the login timeout is not cut.
func TestLoginTimeoutIsNotAQueryTimeout(t *testing.T) {
	srv, err := tdsfake.StartConfig(tdsfake.Config{LoginDelay: 300 * time.Millisecond, Handler: func(sql string) []tdsfake.Token {
		if strings.Contains(sql, "slow") {
			time.Sleep(1500 * time.Millisecond)
		}
		return []tdsfake.Token{tdsfake.Print("done")}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := Connect(context.Background(), ConnOptions{Server: "127.0.0.1," + strconv.Itoa(srv.Port()), User: "sa", Password: "pw", Encrypt: "disable", LoginTimeout: time.Second})
	if err != nil {
		t.Fatalf("a login of 0.3s within a timeout of 1s: %v", err)
	}
	defer db.Close()
	var got []Message
	if err := db.Exec(context.Background(), "PRINT 'slow'\n", messageRecorder{&got}); err != nil || len(got) != 1 {
		t.Errorf("a batch of 1.5s after a login timeout of 1s: %v, %v", err, got)
	}
}

// TestServerGoneMidBatch: a connection lost in the middle of a batch is an
// error of the run (not a failed batch), reported once, with what the
// server sent before it.
func TestServerGoneMidBatch(t *testing.T) {
	srv, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		if strings.Contains(sql, "crash") {
			return []tdsfake.Token{tdsfake.Print("half"), tdsfake.Disconnect}
		}
		return []tdsfake.Token{tdsfake.Print("ok")}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tg := target{name: "tdsfake", connect: connectTo(t, srv.DSN())}
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, "PRINT 'a'\nGO\nPRINT 'crash'\nGO\nPRINT 'c'\n")}})
	var be *BatchError
	if r.err == nil || errors.As(r.err, &be) || !strings.Contains(r.err.Error(), "batch 2") {
		t.Fatalf("error %v, want a lost connection at batch 2", r.err)
	}
	if strings.Contains(r.out, "c\n") || r.sum.Executed != 2 {
		t.Errorf("output %q, summary %+v", r.out, r.sum)
	}
}

type messageRecorder struct{ msgs *[]Message }

func (m messageRecorder) Message(msg Message) { *m.msgs = append(*m.msgs, msg) }
func (messageRecorder) ResultSet([]Column)    {}
func (messageRecorder) Row([]any)             {}
func (messageRecorder) RowsAffected(int64)    {}
