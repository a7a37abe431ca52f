package xphone_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/xphone"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

func ExampleConvertUsers() {
	in := strings.NewReader("UserKey;Login;FirstName;LastName;Phone\r\n" +
		"u1;CORP\\ada;Ada;Lovelace;089/123456\r\n" +
		"u2;CORP\\ada;Alan;Turing;(089) 12 34 57\r\n")
	phone, _ := xphone.NewPhoneFormat("49", "89")
	var out bytes.Buffer
	rep, err := xphone.ConvertUsers(context.Background(), in, &out, xphone.DefaultMapping(),
		xphone.UsersOptions{Phone: phone, Separator: ';', Encoding: xphone.EncodingWindows1252})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	for _, p := range rep.Skipped {
		fmt.Println("skipped:", p)
	}
	// Output:
	// ID;firstname;name;account;phone
	// u1;Ada;Lovelace;CORP\ada;+4989123456
	// skipped: line 3: duplicate account "CORP\ada", first on line 2
}

func ExampleConvertPrompt() {
	f, err := os.Open("../testdata/xphone/export/voicemail/u1002/name.wav")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	var out bytes.Buffer
	info, err := xphone.ConvertPrompt(f, &out)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := wav.Parse(out.Bytes())
	fmt.Printf("%s -> %s, %d ms\n", info.SourceFormat, s.Format, info.DurationMillis)
	// Output: PCM 44100 Hz stereo 16 bit -> A-law 8000 Hz mono 8 bit, 250 ms
}

func ExampleCheck() {
	rep, err := xphone.Check(context.Background(), "../testdata/xphone/export", xphone.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d users, %d prompts, %d problems\n", len(rep.Users.Users), len(rep.Prompts), rep.Problems())
	fmt.Println(rep.Skipped[0])
	// Output:
	// 5 users, 9 prompts, 10 problems
	// autoattendant/Hauptmenü/Nacht Ansage.wav: unsupported WAV format: MPEG Layer 3 (MP3) (PCM, A-law or µ-law expected)
}

func ExampleSafeName() {
	fmt.Println(xphone.SafeName("Begrüßung Nacht (alt)"))
	// Output: Begruessung_Nacht_alt
}

func ExamplePhoneFormat_Normalize() {
	p, _ := xphone.NewPhoneFormat("49", "89")
	for _, n := range []string{"0049 89 123456", "+49 (89) 123-456", "089/123456", "123456", "(089) 12 34 56", "089 1234-56", "Empfang"} {
		v, err := p.Normalize(n)
		fmt.Printf("%-18s %s %v\n", n, v, err)
	}
	// Output:
	// 0049 89 123456     +4989123456 <nil>
	// +49 (89) 123-456   +4989123456 <nil>
	// 089/123456         +4989123456 <nil>
	// 123456             +4989123456 <nil>
	// (089) 12 34 56     +4989123456 <nil>
	// 089 1234-56        +4989123456 <nil>
	// Empfang            Empfang unexpected character 'E'
}

func ExampleUsersReader() {
	in := strings.NewReader("UserKey;Login;FirstName;LastName\r\n" +
		"u1;CORP\\ada;Ada;\"Lovelace; Countess\"\r\n" +
		"u2;CORP\\alan;Alan\r\n")
	ur, err := xphone.NewUsersReader(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, separator %q, header %q\n", ur.Encoding, ur.Separator, ur.Header)
	for {
		row, err := ur.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(row.Line, row.Fields[3])
	}
	// Output:
	// windows-1252, separator ';', header ["UserKey" "Login" "FirstName" "LastName"]
	// 2 Lovelace; Countess
	// error: line 3: 3 fields, the header has 4
}
