package infotool_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

const journal = "; DATABASE JOURNAL\r\n" +
	"[JOURNAL]\r\n" +
	"MSGID=0001A2F3-7C\r\n" +
	"SUBJECT=Voice message from Hans M\\xfcller\r\n" +
	"RECIPIENT=mueller\r\n" +
	"RECIPIENT=hr-office\r\n" +
	"BODY=0x52494646\r\n" +
	"CONTENTTYPE=4352\r\n" +
	"\r\n" +
	"[JOURNAL]\n" +
	"MSGID=0001A2F4-01\n" +
	"contenttype= 599 "

func ExampleReader() {
	r := infotool.NewReader(strings.NewReader(journal), "journal.txt")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		ct, _ := rec.Field("CONTENTTYPE") // names are case-insensitive
		fmt.Printf("[%s] at line %d: CONTENTTYPE=%q, %d recipients\n", rec.Type, rec.Line, ct.Raw, len(rec.Values("RECIPIENT")))
	}
	fmt.Println("encoding:", r.Encoding())
	// Output:
	// [JOURNAL] at line 2: CONTENTTYPE="4352", 2 recipients
	// [JOURNAL] at line 10: CONTENTTYPE=" 599 ", 0 recipients
	// encoding: cp1252
}

func ExampleField() {
	rec, _ := infotool.ParseRecord([]byte("[JOURNAL]\r\nSUBJECT=Hans M\\xfcller\r\nBODY=0x52494646\r\n"), infotool.CP1252, "journal.txt", 1)
	for _, f := range rec.Fields {
		fmt.Printf("%s raw=%s value=%q binary=%v\n", f.Name, f.Raw, f.Value, f.Binary)
	}
	// Output:
	// SUBJECT raw=Hans M\xfcller value="Hans Müller" binary=false
	// BODY raw=0x52494646 value="RIFF" binary=true
}

// Errors name the place and what was expected; errors.Is tells their kind.
func ExampleReader_Read_error() {
	r := infotool.NewReader(strings.NewReader("[JOURNAL]\nSUBJECT=C:\\temp\\q\n"), "journal.txt")
	_, err := r.Read()
	var pe *position.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Column, errors.Is(err, infotool.ErrEscape))
		fmt.Println(err)
	}
	// Output:
	// 2 16 true
	// journal.txt:2:16: invalid escape \q, expected \\, \n, \r, \t or \xHH (two hex digits) after the backslash
}

// A round trip: every byte comes back, whatever the line ends.
func ExampleReader_WriteTo() {
	var out bytes.Buffer
	if _, err := infotool.NewReader(strings.NewReader(journal), "journal.txt").WriteTo(&out); err != nil {
		fmt.Println(err)
	}
	fmt.Println(out.String() == journal)
	// Output: true
}

func ExampleReader_Walk() {
	r := infotool.NewReader(strings.NewReader(journal), "journal.txt")
	stats := infotool.NewStats()
	err := r.Walk(context.Background(), infotool.WalkOptions{Workers: 2}, func(rec *infotool.Record) error {
		stats.Add(rec, r.Encoding())
		return nil
	})
	fmt.Println(err, stats.Records, stats.ContentTypes)
	// Output: <nil> 2 map[ 599 :1 4352:1]
}

// Check a file as "xdm infotool validate" does: every record against the
// grammar, without decoding its fields, every error in file order.
func ExampleReader_Walk_skipFields() {
	in := "[JOURNAL:1]\r\nMSGID=1\r\n[JOURNAL:2]\r\nSUBJECT=C:\\data\r\n[USER:3]\r\nNAME=x\r\n"
	r := infotool.NewReader(strings.NewReader(in), "journal.txt")
	opts := infotool.WalkOptions{
		SkipFields: true,
		OnError: func(pe *position.Error) error {
			fmt.Println("error:", pe, "at byte", pe.Offset)
			return nil
		},
	}
	err := r.Walk(context.Background(), opts, func(rec *infotool.Record) error {
		fmt.Println(rec.Type, rec.Key, "line", rec.Line, "fields", len(rec.Fields))
		return nil
	})
	fmt.Println(err)
	// Output:
	// JOURNAL 1 line 1 fields 0
	// error: journal.txt:4:11: invalid escape \d, expected \\, \n, \r, \t or \xHH (two hex digits) after the backslash at byte 45
	// USER 3 line 5 fields 0
	// <nil>
}
