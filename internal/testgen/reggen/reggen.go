// Package reggen writes generated .reg files for benchmarks and tests: a
// regedit export of an XPR server's HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM tree,
// with values of every type, long binary values broken into lines as regedit
// breaks them, and a few keys outside PP-COM.
package reggen

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// Options control Generate. The zero value writes a small version 5.00 file.
type Options struct {
	// Size is the approximate size to write in bytes (at least one key).
	Size int64
	// Seed seeds the pseudo-random sequence: the same seed, the same file.
	Seed uint64
	// Version4 writes a REGEDIT4 (ANSI) file instead of a version 5.00 one
	// (UTF-16LE).
	Version4 bool
	// MaxBinary is the largest binary value in bytes (0: 16 KiB).
	MaxBinary int
}

// Stats says what Generate wrote.
type Stats struct {
	Bytes int64
	// Keys counts the key lines, PPCOM those below
	// HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM (which Wow64 moves).
	Keys, PPCOM, Values int
}

// Generate writes a .reg file to w.
func Generate(w io.Writer, opts Options) (Stats, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc, version := reg.UTF16LE, reg.Version5
	if opts.Version4 {
		enc, version = reg.ANSI, reg.Version4
	}
	maxBin := opts.MaxBinary
	if maxBin <= 0 {
		maxBin = 16 << 10
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7265672e67656e))
	out := reg.NewWriter(bw, enc, "\r\n")
	var st Stats
	err := out.WriteHeader(version)
	for n := 0; err == nil && (n == 0 || out.Written() < opts.Size); n++ {
		key := fmt.Sprintf(`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS\Users\User%06d`, n)
		switch n % 50 {
		case 17:
			key = fmt.Sprintf(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\App%d`, n)
		case 31:
			key = fmt.Sprintf(`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\APL%d`, n)
		default:
			st.PPCOM++
		}
		st.Keys++
		if err = out.WriteBlank(); err == nil {
			err = out.WriteKey(key, false)
		}
		for _, v := range values(rng, n, maxBin, enc) {
			if err == nil {
				err = out.WriteValue(v)
				st.Values++
			}
		}
	}
	if err == nil {
		err = out.WriteBlank()
	}
	if err == nil {
		err = bw.Flush()
	}
	st.Bytes = out.Written()
	return st, err
}

// values returns a user key's values: every type, one binary of random size.
func values(rng *rand.Rand, n, maxBin int, enc reg.Encoding) []*reg.Value {
	text := func(s string) []byte {
		b, _ := enc.Append(nil, s)
		return b
	}
	bin := make([]byte, rng.IntN(maxBin))
	for i := range bin {
		bin[i] = byte(rng.Uint32())
	}
	nul := text("\x00")
	return []*reg.Value{
		{Name: "", Form: reg.FormString, Type: reg.RegSZ, Text: fmt.Sprintf("User %d", n)},
		{Name: "Mailbox", Form: reg.FormString, Type: reg.RegSZ, Text: fmt.Sprintf(`\\TLCLKN1\MrsHome\user%06d`, n)},
		{Name: "Flags", Form: reg.FormDword, Type: reg.RegDword, Bytes: binary.LittleEndian.AppendUint32(nil, rng.Uint32())},
		{Name: "Created", Form: reg.FormHex, Type: reg.RegQword, Bytes: binary.LittleEndian.AppendUint64(nil, rng.Uint64())},
		{Name: "Greeting", Form: reg.FormHex, Type: reg.RegExpandSZ, Encoding: enc,
			Bytes: append(text(fmt.Sprintf(`%%PROGRAMDATA%%\PP-COM\Greetings\%06d.wav`, n)), nul...)},
		{Name: "Devices", Form: reg.FormHex, Type: reg.RegMultiSZ, Encoding: enc,
			Bytes: text(fmt.Sprintf("PHONE:%d\x00FAX:%d\x00\x00", 1000+n, 2000+n))},
		{Name: "Settings", Form: reg.FormHex, Type: reg.RegBinary, Bytes: bin},
	}
}
