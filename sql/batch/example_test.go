package batch_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/sql/batch"
)

func ExampleReader() {
	script := ":setvar Table Users\r\n" +
		"INSERT INTO $(Table) VALUES ('GO\r\nstill the string')\r\n" +
		"GO 2\r\n" +
		":on error exit\r\n" +
		"SELECT COUNT(*) FROM $(Table)\r\n"
	r := batch.NewReader(strings.NewReader(script), batch.Options{Name: "import.sql"})
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		switch it.Kind {
		case batch.Batch:
			fmt.Printf("batch %d at line %d, %d time(s): %q\n", it.Ordinal, it.Line, it.Repeat, it.SQL)
		case batch.Command:
			fmt.Printf("command :%s %s at line %d\n", it.Name, it.Args, it.Line)
		}
	}
	// Output:
	// batch 1 at line 2, 2 time(s): "INSERT INTO Users VALUES ('GO\r\nstill the string')\r\n"
	// command :on error exit at line 5
	// batch 2 at line 6, 1 time(s): "SELECT COUNT(*) FROM Users\r\n"
}

// In raw mode the items put together are the script, byte for byte: a
// rewriting tool changes only the batches it means to change.
func ExampleReader_raw() {
	script := "SELECT 1\nGO\n:r other.sql\nSELECT $(x)\n"
	r := batch.NewReader(strings.NewReader(script), batch.Options{Raw: true})
	var out strings.Builder
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		fmt.Printf("%s at line %d: %q\n", it.Kind, it.Line, it.Raw)
		out.Write(it.Raw)
	}
	fmt.Println(out.String() == script)
	// Output:
	// batch at line 1: "SELECT 1\nGO\n"
	// command at line 3: ":r other.sql\n"
	// batch at line 4: "SELECT $(x)\n"
	// true
}

// Decode turns a UTF-16 script (as SSMS saves them) into UTF-8 for the
// Reader; the Encoding it reports writes a rewritten script back the same way.
func ExampleDecode() {
	utf16le := []byte{0xFF, 0xFE, 'G', 0, 'O', 0, '\r', 0, '\n', 0}
	r, enc, err := batch.Decode(bytes.NewReader(utf16le), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := io.ReadAll(r)
	fmt.Printf("%s: %q\n", enc.Name, text)

	var back bytes.Buffer
	w := enc.NewWriter(&back)
	w.Write(text)
	w.Close()
	fmt.Println(bytes.Equal(back.Bytes(), utf16le))
	// Output:
	// UTF-16LE: "GO\r\n"
	// true
}

// OpenScript reads a script as sqlcmd does: a file without byte order mark
// in the ANSI code page (1252 here), so "K\xe4se" is "Käse"; with Guess, a
// file that is not valid there but is valid UTF-8 is read as UTF-8.
func ExampleOpenScript() {
	dir, _ := os.MkdirTemp("", "xdm-example")
	defer os.RemoveAll(dir)
	ansi := filepath.Join(dir, "ansi.sql")
	os.WriteFile(ansi, []byte("SELECT 'K\xe4se'\r\n"), 0o644)
	utf8 := filepath.Join(dir, "utf8.sql")
	os.WriteFile(utf8, []byte("SELECT 'Łódź'\n"), 0o644)

	opt := batch.ScriptOptions{CodePage: 1252, Guess: true, Chosen: func(r batch.Reading) {
		fmt.Printf("%s read as %s: %s\n", filepath.Base(r.File), r.Encoding.Name, r.Invalid)
	}}
	for _, name := range []string{ansi, utf8} {
		rc, err := batch.OpenScript(name, opt)
		if err != nil {
			fmt.Println(err)
			return
		}
		text, _ := io.ReadAll(rc)
		rc.Close()
		fmt.Printf("%q\n", text)
	}
	// Output:
	// "SELECT 'Käse'\r\n"
	// utf8.sql read as UTF-8: byte 0x81 at offset 9 is not defined in code page 1252
	// "SELECT 'Łódź'\n"
}
