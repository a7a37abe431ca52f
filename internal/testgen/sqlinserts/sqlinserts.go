// Package sqlinserts writes a deterministic SQL Server INSERT script of a
// given size, the kind SSMS "Generate Scripts" produces for a database's data:
// CRLF lines, N'...' strings with doubled quotes and non-ASCII letters, a GO
// every BatchRows rows, and now and then a string that spans lines and holds a
// line "GO", which a splitter must not take for a terminator. It feeds the
// benchmarks of sql/batch and xdm sql run.
package sqlinserts

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Options shape the script. The zero value writes 100 rows per batch.
type Options struct {
	BatchRows int    // INSERTs between two GO lines; 0 means 100
	Seed      uint64 // same seed, same script
}

var names = []string{"Müller", "O'Brien", "Ångström", "Dupont", "Nakamura", "Łukasz", "García", "Smith"}

// Write writes at least size bytes of script to w (it stops after the first
// batch that reaches size) and returns the number of bytes and batches.
func Write(w io.Writer, size int64, opt Options) (written int64, batches int, err error) {
	rows := opt.BatchRows
	if rows <= 0 {
		rows = 100
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := &countWriter{w: bw}
	fmt.Fprint(cw, "SET NOCOUNT ON\r\nGO\r\nCREATE TABLE [dbo].[Users] ([Id] int NOT NULL, [Name] nvarchar(200) NULL, [Note] nvarchar(max) NULL, [Created] datetime NOT NULL)\r\nGO\r\n")
	batches = 2
	id := 0
	for cw.n < size {
		for i := 0; i < rows; i++ {
			id++
			name := names[rng.IntN(len(names))]
			note := "N'mailbox " + fmt.Sprint(rng.IntN(1_000_000)) + "'"
			switch rng.IntN(50) {
			case 0:
				note = "N'first line\r\nGO\r\nthird line of a note'"
			case 1:
				note = "NULL"
			}
			fmt.Fprintf(cw, "INSERT [dbo].[Users] ([Id], [Name], [Note], [Created]) VALUES (%d, N'%s', %s, CAST(N'2016-0%d-1%d T10:%02d:00.000' AS DateTime))\r\n",
				id, doubleQuotes(name), note, 1+rng.IntN(9), rng.IntN(10), rng.IntN(60))
		}
		fmt.Fprint(cw, "GO\r\n")
		batches++
	}
	if err := bw.Flush(); err != nil {
		return cw.n, batches, err
	}
	return cw.n, batches, cw.err
}

func doubleQuotes(s string) string {
	out := make([]byte, 0, len(s)+2)
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\'' {
			out = append(out, '\'')
		}
	}
	return string(out)
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
