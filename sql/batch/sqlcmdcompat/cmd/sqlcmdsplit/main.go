// Command sqlcmdsplit drives go-sqlcmd's batch parser (pkg/sqlcmd Batch, the
// one sqlcmd itself uses) over a script, line by line as sqlcmd reads a
// file, and prints each batch as the JSON line "xdm sql run --dry-run
// --json" prints: {"type":"batch","file","line","batch","repeat","sql"}.
// bench/sqlcmd-compat.sh times it next to xdm on the same file.
//
//	go run ./cmd/sqlcmdsplit FILE > batches.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/microsoft/go-sqlcmd/pkg/sqlcmd"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

type batchLine struct {
	Type   string `json:"type"`
	File   string `json:"file"`
	Line   int64  `json:"line"`
	Batch  int    `json:"batch"`
	Repeat int    `json:"repeat"`
	SQL    string `json:"sql"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sqlcmdsplit FILE")
		os.Exit(2)
	}
	if err := split(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sqlcmdsplit:", err)
		os.Exit(1)
	}
}

func split(name string, w io.Writer) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// As sqlcmd's IncludeFile reads: a byte order mark decides, else UTF-8.
	r := bufio.NewReader(transform.NewReader(f, unicode.BOMOverride(unicode.UTF8.NewDecoder())))
	var line int64
	var ln []byte
	readLine := func() (string, error) {
		ln = ln[:0]
		var err error
		for isPrefix := true; isPrefix && err == nil; {
			var part []byte
			part, isPrefix, err = r.ReadLine()
			ln = append(ln, part...)
		}
		if err == nil {
			line++
		}
		return string(ln), err
	}
	cmds := sqlcmd.New(nil, "", sqlcmd.InitializeVariables(false)).Cmd
	b := sqlcmd.NewBatch(readLine, cmds)
	out := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	n, start := 0, int64(0)
	emit := func(repeat int) error {
		if b.Length == 0 {
			return nil
		}
		n++
		return enc.Encode(batchLine{"batch", name, start, n, repeat, b.String()})
	}
	for {
		if b.Length == 0 {
			start = line + 1
		}
		cmd, args, err := b.Next()
		switch {
		case err == io.EOF:
			if err := emit(1); err != nil {
				return err
			}
			return out.Flush()
		case err != nil:
			fmt.Fprintf(os.Stderr, "%s:%d: %v\n", name, line, err)
			continue
		case cmd == nil:
			continue
		case cmd == cmds["GO"]:
			repeat := 1
			if len(args) > 0 && strings.TrimSpace(args[0]) != "" {
				fmt.Sscanf(strings.TrimSpace(args[0]), "%d", &repeat)
			}
			if err := emit(repeat); err != nil {
				return err
			}
			b.Reset(nil)
		}
	}
}
