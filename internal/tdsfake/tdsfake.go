// Package tdsfake is a test double for the SQL Server wire protocol (TDS 7.4),
// not a database: a server on loopback that lets the real go-mssqldb driver
// log in and answers each SQL batch with tokens the test scripts. It knows
// just enough of MS-TDS for that:
//
//   - PRELOGIN (packet type 0x12): answers version 16.0 and ENCRYPT_NOT_SUP,
//     so clients must connect with encrypt=disable; no TLS.
//   - LOGIN7 (0x10): accepts any user and password; answers LOGINACK + DONE.
//   - SQLBatch (0x01): skips ALL_HEADERS, decodes the UTF-16LE text, records
//     it and writes the tokens Handler returns: INFO, ERROR, COLMETADATA + ROW
//     (int and nvarchar columns), DONE.
//   - RPC (0x03) without parameters, which go-mssqldb sends for a batch
//     that is only a procedure name ("sp_who"): handled as a batch whose
//     text is that name.
//   - Attention (0x06): answers DONE with the attention bit.
//
// Packets are read until the end-of-message status bit and written in
// pieces of at most 4096 bytes, the driver's default packet size.
//
// To test what a client does when a server misbehaves, Config makes the
// server wait before it answers the login (LoginDelay), never answer at all
// (Silent), and a Handler can end a response with Disconnect to drop the
// connection in the middle of a batch.
package tdsfake

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
	"unicode/utf16"
)

// Token is one piece of a server response.
type Token []byte

// Handler answers one SQL batch. A response that does not end with a final
// DONE gets one appended.
type Handler func(sql string) []Token

// Disconnect, as the last token of a Handler's response, makes the server
// send the tokens before it and close the connection: a server that goes
// away in the middle of a batch.
var Disconnect = Token("\x00tdsfake:disconnect")

// Config is how a fake server behaves.
type Config struct {
	Handler Handler
	// LoginDelay is how long the server waits before it answers LOGIN7.
	LoginDelay time.Duration
	// Silent servers accept connections and read, but never answer.
	Silent bool
}

// Server is a running fake server.
type Server struct {
	ln      net.Listener
	cfg     Config
	mu      sync.Mutex
	batches []string
	conns   map[net.Conn]bool
	logins  int
	wg      sync.WaitGroup
}

// Start listens on 127.0.0.1 (a free port) and serves every connection with h.
func Start(h Handler) (*Server, error) { return StartConfig(Config{Handler: h}) }

// StartConfig is Start with the misbehaviours of c.
func StartConfig(c Config) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, cfg: c, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Logins returns how many logins the server answered.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// DSN is a go-mssqldb connection string for the server.
func (s *Server) DSN() string {
	return fmt.Sprintf("sqlserver://sa:secret@%s?encrypt=disable&connection+timeout=5", s.ln.Addr())
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Batches returns the SQL texts received so far, in order.
func (s *Server) Batches() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.batches...)
}

// CloseConns closes the connections open now (the server goes on
// listening): for clients that cannot close their own.
func (s *Server) CloseConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// Close stops listening, closes the connections and waits for them to end.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			if s.cfg.Silent {
				_, _ = io.Copy(io.Discard, c)
				return
			}
			_ = s.serve(c)
		}()
	}
}

// Packet types (MS-TDS 2.2.3.1.1).
const (
	pktBatch     = 0x01
	pktRPC       = 0x03
	pktReply     = 0x04
	pktAttention = 0x06
	pktLogin7    = 0x10
	pktPrelogin  = 0x12
	maxPacket    = 4096
)

func (s *Server) serve(c net.Conn) error {
	for {
		typ, msg, err := readMessage(c)
		if err != nil {
			return err
		}
		var reply []byte
		switch typ {
		case pktPrelogin:
			reply = prelogin()
		case pktLogin7:
			time.Sleep(s.cfg.LoginDelay)
			s.mu.Lock()
			s.logins++
			s.mu.Unlock()
			reply = append(loginAck(), Done(0)...)
		case pktBatch, pktRPC:
			text := batchText
			if typ == pktRPC {
				text = procName
			}
			sql, err := text(msg)
			if err != nil {
				return err
			}
			s.mu.Lock()
			s.batches = append(s.batches, sql)
			s.mu.Unlock()
			tokens := s.cfg.Handler(sql)
			if n := len(tokens); n > 0 && bytes.Equal(tokens[n-1], Disconnect) {
				var partial []byte
				for _, t := range tokens[:n-1] {
					partial = append(partial, t...)
				}
				if len(partial) > 0 {
					_ = writePackets(c, partial, false)
				}
				return errors.New("tdsfake: disconnected on purpose")
			}
			reply = respond(tokens)
		case pktAttention:
			reply = done(0x0020, 0, 0)
		default:
			return fmt.Errorf("tdsfake: packet type %#x not supported", typ)
		}
		if err := writeMessage(c, reply); err != nil {
			return err
		}
	}
}

// readMessage reads packets up to the one with the end-of-message bit.
func readMessage(r io.Reader) (typ byte, msg []byte, err error) {
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return 0, nil, err
		}
		n := int(binary.BigEndian.Uint16(hdr[2:4]))
		if n < 8 {
			return 0, nil, errors.New("tdsfake: bad packet length")
		}
		body := make([]byte, n-8)
		if _, err := io.ReadFull(r, body); err != nil {
			return 0, nil, err
		}
		typ, msg = hdr[0], append(msg, body...)
		if hdr[1]&0x01 != 0 {
			return typ, msg, nil
		}
	}
}

func writeMessage(w io.Writer, msg []byte) error { return writePackets(w, msg, true) }

// writePackets writes msg in packets; end sets the end-of-message bit on
// the last one (false leaves the response unfinished).
func writePackets(w io.Writer, msg []byte, end bool) error {
	id := byte(1)
	for {
		n := min(len(msg), maxPacket-8)
		status := byte(0)
		if n == len(msg) && end {
			status = 0x01
		}
		pkt := make([]byte, 8, 8+n)
		pkt[0], pkt[1], pkt[6] = pktReply, status, id
		binary.BigEndian.PutUint16(pkt[2:], uint16(8+n))
		pkt = append(pkt, msg[:n]...)
		if _, err := w.Write(pkt); err != nil {
			return err
		}
		msg, id = msg[n:], id+1
		if len(msg) == 0 {
			return nil
		}
	}
}

// prelogin answers with VERSION 16.0.0.0 and ENCRYPTION = NOT_SUP.
func prelogin() []byte {
	// Two options of 5 bytes each and the terminator: data starts at 11.
	b := []byte{0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xFF}
	return append(b, 16, 0, 0, 0, 0, 0, 0x02)
}

func loginAck() []byte {
	prog := ucs2("tdsfake")
	body := []byte{1, 0x74, 0, 0, 0x04, byte(len(prog) / 2)}
	body = append(body, prog...)
	body = append(body, 16, 0, 0, 0)
	return append(tokenLen(0xAD, len(body)), body...)
}

// batchText returns the SQL of a SQLBatch message: after ALL_HEADERS, UTF-16LE.
func batchText(msg []byte) (string, error) {
	if len(msg) < 4 {
		return "", errors.New("tdsfake: short SQLBatch")
	}
	skip := int(binary.LittleEndian.Uint32(msg))
	if skip > len(msg) || (len(msg)-skip)%2 != 0 {
		return "", errors.New("tdsfake: bad ALL_HEADERS in SQLBatch")
	}
	u := make([]uint16, (len(msg)-skip)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(msg[skip+2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// procName returns the procedure name of an RPC request: after
// ALL_HEADERS, a US_VARCHAR name (MS-TDS 2.2.6.6).
func procName(msg []byte) (string, error) {
	if len(msg) < 4 {
		return "", errors.New("tdsfake: short RPC request")
	}
	skip := int(binary.LittleEndian.Uint32(msg))
	if skip+2 > len(msg) {
		return "", errors.New("tdsfake: bad ALL_HEADERS in RPC request")
	}
	n := int(binary.LittleEndian.Uint16(msg[skip:]))
	if n == 0xFFFF || skip+2+2*n > len(msg) {
		return "", errors.New("tdsfake: RPC by procedure id is not supported")
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(msg[skip+2+2*i:])
	}
	return string(utf16.Decode(u)), nil
}

func respond(tokens []Token) []byte {
	var out []byte
	last := byte(0)
	for _, t := range tokens {
		out = append(out, t...)
		if len(t) > 0 {
			last = t[0]
		}
	}
	if last != 0xFD || binary.LittleEndian.Uint16(out[len(out)-12:])&0x0001 != 0 {
		out = append(out, done(0, 0, 0)...)
	}
	return out
}

func ucs2(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func bVarchar(s string) []byte {
	u := ucs2(s)
	return append([]byte{byte(len(u) / 2)}, u...)
}

func usVarchar(s string) []byte {
	u := ucs2(s)
	return append(binary.LittleEndian.AppendUint16(nil, uint16(len(u)/2)), u...)
}

func tokenLen(tok byte, n int) []byte {
	return binary.LittleEndian.AppendUint16([]byte{tok}, uint16(n))
}

func done(status, curCmd uint16, rows uint64) Token {
	b := []byte{0xFD}
	b = binary.LittleEndian.AppendUint16(b, status)
	b = binary.LittleEndian.AppendUint16(b, curCmd)
	return binary.LittleEndian.AppendUint64(b, rows)
}

// Done ends a statement; rows >= 0 reports "(rows rows affected)".
func Done(rows int64) Token {
	if rows < 0 {
		return done(0, 0, 0)
	}
	return done(0x0010, 0xC3, uint64(rows)) // DONE_COUNT, INSERT
}

// DoneMore ends a statement that more statements of the batch follow.
func DoneMore(rows int64) Token {
	t := Done(rows)
	t[1] |= 0x01
	return t
}

func message(tok byte, number int32, class, state uint8, text string, line int32) Token {
	body := binary.LittleEndian.AppendUint32(nil, uint32(number))
	body = append(body, state, class)
	body = append(body, usVarchar(text)...)
	body = append(body, bVarchar("TDSFAKE")...)
	body = append(body, bVarchar("")...)
	body = binary.LittleEndian.AppendUint32(body, uint32(line))
	return append(tokenLen(tok, len(body)), body...)
}

// Error is an ERROR token (severity class >= 11 for real errors).
func Error(number int32, class, state uint8, text string, line int32) Token {
	return message(0xAA, number, class, state, text, line)
}

// Info is an INFO token: PRINT output (number 0, class 0) or a message of
// severity <= 10.
func Info(number int32, class, state uint8, text string) Token {
	return message(0xAB, number, class, state, text, 1)
}

// Print is what PRINT text sends.
func Print(text string) Token { return Info(0, 0, 1, text) }

// Rows is a result set: COLMETADATA, one ROW per row and a DONE counting
// them. A column is an int when its first value is an int, else nvarchar.
// Values are int or string (nil for NULL in nvarchar columns).
func Rows(columns []string, rows ...[]any) Token {
	isInt := make([]bool, len(columns))
	if len(rows) > 0 {
		for i := range columns {
			_, isInt[i] = rows[0][i].(int)
		}
	}
	b := binary.LittleEndian.AppendUint16([]byte{0x81}, uint16(len(columns)))
	for i, name := range columns {
		b = append(b, 0, 0, 0, 0, 0x01, 0) // user type, flags: nullable
		if isInt[i] {
			b = append(b, 0x38) // INT4
		} else {
			b = append(b, 0xE7, 0x40, 0x1F, 0x09, 0x04, 0xD0, 0x00, 0x34) // NVARCHAR(4000), Latin1_General_CI_AS
		}
		b = append(b, bVarchar(name)...)
	}
	for _, row := range rows {
		b = append(b, 0xD1)
		for i, v := range row {
			switch {
			case isInt[i]:
				b = binary.LittleEndian.AppendUint32(b, uint32(v.(int)))
			case v == nil:
				b = append(b, 0xFF, 0xFF)
			default:
				u := ucs2(fmt.Sprint(v))
				b = append(binary.LittleEndian.AppendUint16(b, uint16(len(u))), u...)
			}
		}
	}
	return append(b, done(0x0010|0x0001, 0xC1, uint64(len(rows)))...)
}
