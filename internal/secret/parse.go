package secret

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/internal/connstr"
)

// span is a byte range [start, end) of a connection string to mask.
type span struct{ start, end int }

// reading is what a connection string holds that must not be shown: the
// ranges to mask, and the password values as the driver reads them.
type reading struct {
	spans  []span
	values []string
	// unknown is set when a part was masked for not being a known key.
	unknown bool
}

func (r *reading) hide(start, end int) {
	if end > start {
		r.spans = append(r.spans, span{start, end})
	}
}

// unknownPart masks a part that is no known key=value pair.
func (r *reading) unknownPart(start, end int) {
	r.hide(start, end)
	r.unknown = true
}

// password masks a password value at [start, end) that the driver reads as
// value.
func (r *reading) password(start, end int, value string) {
	r.hide(start, end)
	if value != "" {
		r.values = append(r.values, value)
	}
}

// masked returns s with the spans replaced by Mask; spans that overlap or
// touch get one Mask.
func (r *reading) masked(s string) string {
	spans := append([]span(nil), r.spans...)
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && onlyDelimiters(s[end:max(end, spans[i].start)]); i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(s[pos:start])
		b.WriteString(Mask)
		pos = end
	}
	b.WriteString(s[pos:])
	return b.String()
}

// onlyDelimiters reports whether s is empty or only separators of pairs:
// two masks with nothing else between them become one, which does not tell
// that a password held a separator.
func onlyDelimiters(s string) bool { return strings.Trim(s, ";& ") == "" }

// read reads dsn by d's rules.
func (d Driver) read(dsn string) (reading, bool) {
	switch d {
	case Postgres:
		if isPGURL(dsn) {
			return readPGURL(dsn)
		}
		return readKeywords(dsn)
	case SQLServer:
		switch {
		case strings.HasPrefix(dsn, "sqlserver://"):
			return readURL(dsn, mssqlKeys)
		case strings.HasPrefix(dsn, "odbc:"):
			return readODBC(dsn, len("odbc:"))
		}
		return readADO(dsn), true
	}
	switch {
	case isPGURL(dsn):
		return readPGURL(dsn)
	case hasScheme(dsn):
		return readURL(dsn, anyKeys)
	}
	return readAny(dsn)
}

// readAny reads a key=value string whose driver is unknown: as libpq's
// keyword=value pairs, as ADO (or ODBC) pairs. A reading in which every key
// is known is taken; when none or several are, what any of them masks is
// masked.
func readAny(dsn string) (reading, bool) {
	readings := []reading{}
	if r, ok := readKeywords(dsn); ok {
		readings = append(readings, r)
	}
	if strings.HasPrefix(dsn, "odbc:") {
		if r, ok := readODBC(dsn, len("odbc:")); ok {
			readings = append(readings, r)
		}
	} else {
		readings = append(readings, readADO(dsn))
	}
	var fitting []reading
	for _, r := range readings {
		if !r.unknown {
			fitting = append(fitting, r)
		}
	}
	if len(fitting) == 1 {
		return fitting[0], true
	}
	var all reading
	for _, r := range readings {
		all.spans = append(all.spans, r.spans...)
		all.values = append(all.values, r.values...)
	}
	return all, len(readings) > 0
}

// hasScheme reports whether s starts with a URL scheme and "://".
func hasScheme(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for j, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// readURL reads a URL as both drivers do, with net/url: the password of the
// user information, and the query parameters. A URL that net/url refuses is
// unreadable. So is one with an "@" after the host: the host ended early, at
// a "/", "?" or "#" that was meant to be part of the password.
func readURL(dsn string, keys keySet) (reading, bool) {
	var r reading
	u, err := url.Parse(dsn)
	if err != nil || u.Opaque != "" {
		return r, false
	}
	body := dsn
	if h := strings.IndexByte(dsn, '#'); h >= 0 {
		r.hide(h+1, len(dsn)) // no driver reads a fragment
		body = dsn[:h]
	}
	authStart := strings.Index(body, "://") + 3
	authEnd := len(body)
	if i := strings.IndexAny(body[authStart:], "/?"); i >= 0 {
		authEnd = authStart + i
	}
	unsure := strings.IndexByte(dsn[authEnd:], '@') >= 0 // read on, show nothing
	authority := body[authStart:authEnd]
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		if c := strings.IndexByte(authority[:at], ':'); c >= 0 {
			pw, _ := u.User.Password()
			r.password(authStart+c+1, authStart+at, pw)
		}
	}
	if q := strings.IndexByte(body, '?'); q >= 0 {
		readQuery(&r, body, q+1, keys)
	}
	return r, !unsure
}

func isPGURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// readPGURL reads a PostgreSQL URL by libpq's rules, which pgx follows (not
// net/url's): the user information ends at the first "@" before any "/"
// ("#" and "?" are plain characters there), hosts and ports are lists, the
// query is key=value pairs split at "&", and every part is percent-decoded
// with spaces allowed only at its ends. An "@" after the user information
// makes the reading unsure (the password held an "@" or a "/"): unreadable.
func readPGURL(dsn string) (reading, bool) {
	var r reading
	if strings.IndexByte(dsn, 0) >= 0 {
		return r, false
	}
	pos := strings.Index(dsn, "://") + 3
	if i := strings.IndexAny(dsn[pos:], "@/"); i >= 0 && dsn[pos+i] == '@' {
		userinfo := dsn[pos : pos+i]
		if c := strings.IndexByte(userinfo, ':'); c >= 0 {
			pw, ok := pgDecode(userinfo[c+1:])
			if !ok {
				return r, false
			}
			r.password(pos+c+1, pos+i, pw)
		}
		if _, ok := pgDecode(userinfo[:max(strings.IndexByte(userinfo, ':'), 0)]); !ok && strings.IndexByte(userinfo, ':') > 0 {
			return r, false
		}
		pos += i + 1
	}
	// Read on (a driver's message may quote the values), but show nothing.
	unsure := strings.IndexByte(dsn[pos:], '@') >= 0
	// Hosts and ports up to the path or query.
	end := len(dsn)
	if i := strings.IndexAny(dsn[pos:], "/?"); i >= 0 {
		end = pos + i
	}
	for _, hp := range splitOffsets(dsn, pos, end, ',') {
		host, port := hp, span{hp.end, hp.end}
		if c := strings.IndexByte(dsn[hp.start:hp.end], ':'); c >= 0 && !strings.HasPrefix(dsn[hp.start:], "[") {
			host, port = span{hp.start, hp.start + c}, span{hp.start + c + 1, hp.end}
		} else if b := strings.IndexByte(dsn[hp.start:hp.end], ']'); b >= 0 {
			if c := strings.IndexByte(dsn[hp.start+b:hp.end], ':'); c >= 0 {
				host, port = span{hp.start, hp.start + b + c}, span{hp.start + b + c + 1, hp.end}
			}
		}
		if _, ok := pgDecode(dsn[host.start:host.end]); !ok {
			return r, false
		}
		// A port is digits; other text there is a piece of a password.
		if p := strings.TrimSpace(dsn[port.start:port.end]); strings.Trim(p, "0123456789") != "" {
			r.unknownPart(port.start, port.end)
		}
	}
	pos = end
	if pos < len(dsn) && dsn[pos] == '/' {
		q := strings.IndexByte(dsn[pos:], '?')
		if q < 0 {
			q = len(dsn) - pos
		}
		if _, ok := pgDecode(dsn[pos+1 : pos+q]); !ok {
			return r, false
		}
		pos += q
	}
	if pos < len(dsn) && dsn[pos] == '?' {
		for _, p := range splitOffsets(dsn, pos+1, len(dsn), '&') {
			pair := dsn[p.start:p.end]
			rawKey, rawVal, found := strings.Cut(pair, "=")
			if !found || strings.IndexByte(rawVal, '=') >= 0 {
				return r, false
			}
			key, kok := pgDecode(rawKey)
			val, vok := pgDecode(rawVal)
			switch {
			case !kok || !vok:
				return r, false
			case pgKeys.password(key):
				r.password(p.start+len(rawKey)+1, p.end, val)
			case !pgKeys.known(key) && key != "ssl":
				r.unknownPart(p.start, p.end)
			}
		}
	}
	return r, !unsure
}

// splitOffsets returns the parts of s[start:end] between the separators.
func splitOffsets(s string, start, end int, sep byte) []span {
	var parts []span
	for {
		i := strings.IndexByte(s[start:end], sep)
		if i < 0 {
			return append(parts, span{start, end})
		}
		parts = append(parts, span{start, start + i})
		start += i + 1
	}
}

// pgDecode percent-decodes a part of a PostgreSQL URL as libpq does: "%"
// and two hex digits (not %00), spaces only at the ends.
func pgDecode(raw string) (string, bool) {
	raw = strings.Trim(raw, " ")
	if strings.IndexByte(raw, ' ') >= 0 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] != '%' {
			b.WriteByte(raw[i])
			continue
		}
		if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) || raw[i+1] == '0' && raw[i+2] == '0' {
			return "", false
		}
		v, _ := strconv.ParseUint(raw[i+1:i+3], 16, 8)
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// readQuery reads the query parameters in body from start as url.ParseQuery
// does: pairs split at "&", a pair with ";" or a bad escape dropped.
func readQuery(r *reading, body string, start int, keys keySet) {
	for pos := start; pos <= len(body); {
		end := strings.IndexByte(body[pos:], '&')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		pair := body[pos:end]
		rawKey, rawVal, _ := strings.Cut(pair, "=")
		key, kerr := url.QueryUnescape(rawKey)
		val, verr := url.QueryUnescape(rawVal)
		switch {
		case pair == "":
		case kerr != nil || verr != nil || strings.Contains(pair, ";"):
			r.unknownPart(pos, end)
		case keys.password(key):
			r.password(pos+len(rawKey)+1, end, val)
		case !keys.known(key):
			r.unknownPart(pos, end)
		}
		pos = end + 1
	}
}

// readKeywords reads libpq's keyword=value pairs as pgx does: a keyword is
// the text up to "=" (no white space in it); a value is either quoted with
// ' (\' and \\ escaped) or runs to the next white space (backslash escapes
// the next character). Anything else is unreadable.
func readKeywords(s string) (reading, bool) {
	var r reading
	if strings.IndexByte(s, 0) >= 0 {
		return r, false
	}
	pos := skipSpace(s, 0)
	for pos < len(s) {
		eq := strings.IndexByte(s[pos:], '=')
		if eq < 0 {
			return r, false
		}
		pairStart := pos
		key := strings.TrimFunc(s[pos:pos+eq], isSpaceASCII)
		if strings.IndexFunc(key, isSpaceASCII) >= 0 {
			return r, false
		}
		pos = skipSpace(s, pos+eq+1)
		valStart := pos
		var val string
		switch {
		case pos == len(s):
		case s[pos] != '\'':
			for pos < len(s) && !isSpaceASCII(rune(s[pos])) {
				if s[pos] == '\\' {
					pos++
				}
				pos++
			}
			pos = min(pos, len(s))
			val = unescapeBackslashes(s[valStart:pos])
		default:
			pos++
			for pos < len(s) && s[pos] != '\'' {
				if s[pos] == '\\' {
					pos++
				}
				pos++
			}
			if pos >= len(s) {
				return r, false
			}
			val = unescapeBackslashes(s[valStart+1 : pos])
			pos++
		}
		switch {
		case pgKeys.password(key):
			r.password(valStart, pos, val)
		case !pgKeys.known(key):
			r.unknownPart(pairStart, pos)
		}
		pos = skipSpace(s, pos)
	}
	return r, true
}

func isSpaceASCII(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpace(s string, pos int) int {
	for pos < len(s) && isSpaceASCII(rune(s[pos])) {
		pos++
	}
	return pos
}

func unescapeBackslashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			if i == len(s) {
				break
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// readADO reads an ADO connection string as go-mssqldb does (see
// connstr.GoMSSQL). It can always be read; a part that is no known
// key=value pair is masked whole, as it may be the rest of a password that
// held a ";".
func readADO(s string) reading {
	var r reading
	for _, st := range connstr.GoMSSQL(s) {
		readSetting(&r, st, mssqlKeys)
	}
	return r
}

// readODBC reads an ODBC connection string from offset start as go-mssqldb
// does (see connstr.ODBC).
func readODBC(s string, start int) (reading, bool) {
	var r reading
	settings, err := connstr.ODBC(s, start)
	for _, st := range settings {
		readSetting(&r, st, mssqlKeys)
	}
	return r, err == nil
}

// readSetting masks a password's value, and the whole of a part that is no
// known key=value pair.
func readSetting(r *reading, st connstr.Setting, keys keySet) {
	switch {
	case st.NoValue || !keys.known(st.Key):
		r.unknownPart(st.Start, st.End)
	case keys.password(st.Key):
		r.password(st.ValueStart, st.ValueEnd, st.Value)
	}
}

// keySet is what a driver knows of connection string keys.
type keySet struct {
	passwords map[string]bool
	others    map[string]bool
}

func (k keySet) password(key string) bool { return k.passwords[normKey(key)] }
func (k keySet) known(key string) bool {
	n := normKey(key)
	return k.passwords[n] || k.others[n]
}

func normKey(key string) string {
	key = strings.ToLower(strings.TrimSpace(key))
	if !utf8.ValidString(key) {
		return ""
	}
	return key
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// pgKeys are libpq's connection keywords (and pgx's own).
var pgKeys = keySet{
	passwords: set("password", "sslpassword"),
	others: set("host", "hostaddr", "port", "dbname", "database", "user", "passfile", "connect_timeout",
		"client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
		"keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
		"gssencmode", "sslmode", "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslcertmode",
		"sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "require_auth", "channel_binding",
		"ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
		"service", "servicefile", "target_session_attrs", "load_balance_hosts", "search_path", "timezone",
		"datestyle", "min_read_buffer_size", "statement_cache_capacity", "description_cache_capacity",
		"default_query_exec_mode", "pool_max_conns", "pool_min_conns", "pool_min_idle_conns",
		"pool_max_conn_lifetime", "pool_max_conn_idle_time", "pool_health_check_period",
		"pool_max_conn_lifetime_jitter"),
}

// mssqlKeys are go-mssqldb's connection keys and the ADO synonyms it takes.
var mssqlKeys = keySet{
	passwords: set("password", "pwd", "change password"),
	others: set("server", "port", "user id", "database", "encrypt", "trustservercertificate", "certificate",
		"servercertificate", "tlsmin", "packet size", "log", "connection timeout", "hostnameincertificate",
		"keepalive", "serverspn", "workstation id", "app name", "applicationintent", "failoverpartner",
		"failoverport", "failoverpartnerspn", "disableretry", "protocol", "dial timeout", "pipe",
		"multisubnetfailover", "notraceid", "guid conversion", "timezone", "epa enabled", "authenticator",
		"fedauth", "columnencryption", "krb5-configfile", "krb5-keytabfile", "krb5-credcachefile",
		"krb5-realm", "krb5-dnslookupkdc", "krb5-udppreferencelimit",
		// ADO synonyms
		"app", "application name", "data source", "address", "network address", "addr", "user", "uid",
		"initial catalog", "connect timeout", "timeout", "failover partner", "failover partner spn",
		"application intent", "trust server certificate", "multi subnet failover",
		"host name in certificate", "server spn", "server certificate", "wsid",
		"column encryption setting", "integrated security", "trusted_connection", "persist security info",
		"pooling", "max pool size", "min pool size", "multipleactiveresultsets", "mars connection"),
}

// anyKeys are the keys of both drivers, for a URL whose driver is unknown.
var anyKeys = keySet{
	passwords: union(pgKeys.passwords, mssqlKeys.passwords),
	others:    union(pgKeys.others, mssqlKeys.others),
}

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}
