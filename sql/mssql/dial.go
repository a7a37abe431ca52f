package mssql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/xdm-migrate/xdm/internal/secret"
)

// ErrLoginTimeout is returned when the login did not complete within
// ConnOptions.LoginTimeout.
var ErrLoginTimeout = errors.New("login timeout expired")

// ErrBrowser is the kind of the error when the SQL Server Browser cannot
// tell the port of a named instance.
var ErrBrowser = errors.New("SQL Server Browser lookup failed")

// loginConnector makes connections whose login is bounded by the login
// timeout and ends at once when the caller's context ends (Ctrl-C), however
// the server behaves: a silent server cannot hold a login.
type loginConnector struct {
	o       ConnOptions
	timeout time.Duration

	mu    sync.Mutex
	inner *mssql.Connector // built on the first connection, after the Browser lookup
}

func newConnector(o ConnOptions) (*loginConnector, error) {
	c := &loginConnector{o: o, timeout: o.loginTimeout()}
	if o.DSN != "" {
		inner, err := mssql.NewConnector(o.dsnWithPassword())
		if err != nil {
			return nil, fmt.Errorf("the connection string is not valid: %s", scrubDriverText(err, o))
		}
		c.inner = inner
		c.inner.Dialer = closingDialer{}
		return c, nil
	}
	if _, err := o.Address(); err != nil {
		return nil, err
	}
	return c, nil
}

// Connect opens one connection and logs in.
func (c *loginConnector) Connect(ctx context.Context) (driver.Conn, error) {
	lctx, cancel := ctx, context.CancelFunc(func() {})
	if c.timeout > 0 {
		lctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	defer cancel()
	w := &watch{ctx: lctx}
	inner, err := c.connector(lctx)
	var conn driver.Conn
	if err == nil {
		conn, err = inner.Connect(context.WithValue(lctx, watchKey{}, w))
	}
	w.release() // the connection now outlives the login's context
	switch {
	case err == nil:
		return conn, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(lctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("%w after %s: the server did not complete the login", ErrLoginTimeout, c.timeout)
	}
	return nil, err
}

// Driver is go-mssqldb's.
func (c *loginConnector) Driver() driver.Driver { return &mssql.Driver{} }

// connector returns the go-mssqldb connector, looking up the port of a named
// instance with the SQL Server Browser first.
func (c *loginConnector) connector(ctx context.Context) (*mssql.Connector, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inner != nil {
		return c.inner, nil
	}
	a, err := c.o.Address()
	if err != nil {
		return nil, err
	}
	if a.Instance != "" && a.Port == 0 && (a.Protocol == "" || a.Protocol == "tcp") {
		if a.Port, err = LookupInstance(ctx, a.Host, a.Instance, c.o.BrowserPort); err != nil {
			return nil, err
		}
	}
	inner, err := mssql.NewConnector(c.o.connectionString(a))
	if err != nil {
		return nil, fmt.Errorf("%s", scrubDriverText(err, c.o))
	}
	inner.Dialer = closingDialer{}
	c.inner = inner
	return inner, nil
}

// watch closes the connections dialled for a login when the login's
// context ends before release.
type watch struct {
	ctx   context.Context
	mu    sync.Mutex
	stops []func() bool
}

type watchKey struct{}

func (w *watch) add(conn net.Conn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stops = append(w.stops, context.AfterFunc(w.ctx, func() { conn.Close() }))
}

func (w *watch) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, stop := range w.stops {
		stop()
	}
	w.stops = nil
}

// closingDialer dials as go-mssqldb does and puts the connection under the
// watch of the login it is dialled for.
type closingDialer struct{}

func (closingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if w, ok := ctx.Value(watchKey{}).(*watch); ok {
		w.add(conn)
	}
	return conn, nil
}

// browserWait is how long LookupInstance waits for each answer of the SQL
// Server Browser (it asks twice: UDP may lose a datagram).
const browserWait = time.Second

// LookupInstance asks the SQL Server Browser on host (UDP port, 0 for 1434)
// for the TCP port of a named instance, as sqlcmd does for -S
// host\instance, following MC-SQLR (CLNT_UCAST_EX, SVR_RESP).
func LookupInstance(ctx context.Context, host, instance string, port int) (int, error) {
	if port == 0 {
		port = 1434
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return 0, browserError(host, instance, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	resp := make([]byte, 3+65535)
	var n int
	for try := 0; try < 2; try++ {
		if _, err = conn.Write([]byte{0x03}); err != nil { // CLNT_UCAST_EX
			break
		}
		deadline := time.Now().Add(browserWait)
		if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
			deadline = dl
		}
		conn.SetReadDeadline(deadline)
		if n, err = conn.Read(resp); err == nil || ctx.Err() != nil {
			break
		}
	}
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case err != nil:
		return 0, browserError(host, instance, err)
	}
	instances, err := parseBrowserResponse(resp[:n])
	if err != nil {
		return 0, browserError(host, instance, err)
	}
	var names []string
	for _, inst := range instances {
		if !strings.EqualFold(inst["InstanceName"], instance) {
			names = append(names, inst["InstanceName"])
			continue
		}
		tcp, ok := inst["tcp"]
		if !ok {
			return 0, &browserErr{fmt.Sprintf("instance %s on %s does not listen on TCP/IP: enable TCP/IP for it in SQL Server Configuration Manager (SQL Server Network Configuration > Protocols for %s > TCP/IP > Enabled) and restart the SQL Server service", instance, host, instance)}
		}
		p, err := strconv.Atoi(tcp)
		if err != nil || p <= 0 || p > 65535 {
			return 0, browserError(host, instance, fmt.Errorf("it gave the port %q", tcp))
		}
		return p, nil
	}
	return 0, &browserErr{fmt.Sprintf("the SQL Server Browser on %s knows no instance %s; it has %s", host, instance, strings.Join(names, ", "))}
}

type browserErr struct{ msg string }

func (e *browserErr) Error() string { return e.msg }
func (e *browserErr) Unwrap() error { return ErrBrowser }

func browserError(host, instance string, err error) error {
	return &browserErr{fmt.Sprintf("the SQL Server Browser on %s (UDP 1434) did not tell the port of instance %s: %v; start the \"SQL Server Browser\" service there, or give the port in the server name: %s,PORT", host, instance, err, host)}
}

// parseBrowserResponse reads an SVR_RESP: 0x05, a 2-byte little-endian
// length and the text "key;value;key;value;;" per instance.
func parseBrowserResponse(b []byte) ([]map[string]string, error) {
	if len(b) < 3 || b[0] != 0x05 {
		return nil, errors.New("it answered something that is not an SVR_RESP")
	}
	size := int(b[1]) | int(b[2])<<8
	if size > len(b)-3 {
		return nil, errors.New("its answer is shorter than it says")
	}
	var out []map[string]string
	for _, rec := range strings.Split(string(b[3:3+size]), ";;") {
		if rec == "" {
			continue
		}
		fields := strings.Split(rec, ";")
		m := map[string]string{}
		for i := 0; i+1 < len(fields); i += 2 {
			m[fields[i]] = fields[i+1]
		}
		out = append(out, m)
	}
	return out, nil
}

// scrubDriverText is a driver's message about o's connection, with the
// connection string masked where it quotes it, unless it quotes the password
// in some form: then none of it is shown (internal/secret's rules).
func scrubDriverText(err error, o ConnOptions) string {
	cs := o.DSN
	if cs != "" {
		cs = o.dsnWithPassword()
	} else if a, aerr := o.Address(); aerr == nil {
		cs = o.connectionString(a)
	}
	return secret.SQLServer.RedactMessage(err.Error(), cs, o.Password)
}
