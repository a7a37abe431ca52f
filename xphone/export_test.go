package xphone

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/xdm-migrate/xdm/xphone/internal/wavtest"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

var update = flag.Bool("update", false, "rewrite the sample export and the golden files")

// sampleExport is the committed sample V4 export (also used by the docs).
const sampleExport = "../testdata/xphone/export"

// sampleUsers is the sample users.csv: Windows-1252, ";" separated, CRLF,
// no final line end. Line numbers matter: the golden report names them.
const sampleUsers = "UserKey;Login;FirstName;LastName;Email;Phone;Mobile;Fax;Department;Language\r\n" +
	"u1001;CORP\\jmueller;Jürgen;Müller;juergen.mueller@example.com;089/123456;0171 2345678;;Vertrieb;de\r\n" +
	"u1002;CORP\\sgross;Sabine;Groß;sabine.gross@example.com;+49 (89) 123-457;;(089) 12 34 58;\"Einkauf; Logistik\";de\r\n" +
	"u1003;CORP\\aoconnor;Aoife;\"O\"\"Connor\";;0049 89 123459;;;\"Forschung\r\nEntwicklung\";en\r\n" +
	"u1004;CORP\\nobody;Nora;;;;;;;de\r\n" +
	"u1001;CORP\\other;Otto;Other;;;;;;de\r\n" +
	"u1005;corp\\JMUELLER;Jan;Müller;;;;;;de\r\n" +
	"u1006;CORP\\ttab;Tim;\"Tab\tTabber\";;;;;;de\r\n" +
	"u1007;CORP\\zoe;Zoë;Weiß;;Zentrale (Empfang);;;;de\r\n" +
	"u1008;CORP\\lokal;Lars;Lokal;;123456;089 123456-78;0049 89 123456 x 12;\"Service \"\"Nord\"\"\";de\r\n" +
	"u1010;CORP\\broken;Bea;Broken;;;;;;de"

// sampleFiles are the audio files of the sample export: one per format the
// reader accepts, and the broken cases.
func sampleFiles() map[string][]byte {
	const ms = 250 // every prompt is a quarter second
	build := func(s wavtest.Spec, freq float64) []byte {
		return wavtest.Build(s, wavtest.Tone(s.Rate, freq, 0.5), s.Rate*ms/1000)
	}
	truncated := build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, 440)
	return map[string][]byte{
		"voicemail/u1001/greeting1.wav":         build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, 440),
		"voicemail/u1001/greeting2.wav":         build(wavtest.Spec{Tag: wav.TagALaw, Channels: 1, Rate: 8000}, 500),
		"voicemail/u1001/Name.WAV":              build(wavtest.Spec{Tag: wav.TagMuLaw, Channels: 1, Rate: 8000}, 600),
		"voicemail/u1002/greeting1.wav":         build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 11025, Bits: 8}, 700),
		"voicemail/u1002/name.wav":              build(wavtest.Spec{Tag: wav.TagPCM, Channels: 2, Rate: 44100, Bits: 16}, 800),
		"voicemail/u1002/greeting3.wav":         build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 48000, Bits: 16, List: true}, 900),
		"voicemail/u1002/notes.txt":             []byte("not audio\r\n"),
		"voicemail/u1008/greeting1.wav":         build(wavtest.Spec{Tag: wav.TagMuLaw, Extensible: true, Channels: 2, Rate: 16000}, 1000),
		"voicemail/u1010/greeting1.wav":         truncated[:len(truncated)/2],
		"voicemail/u9999/greeting1.wav":         build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, 440),
		"voicemail/u1004/greeting1.wav":         build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, 440),
		"autoattendant/Hauptmenü/Begrüßung.wav": build(wavtest.Spec{Tag: wav.TagPCM, Extensible: true, Channels: 1, Rate: 16000, Bits: 16}, 1100),
		"autoattendant/Hauptmenü/Nacht Ansage.wav": wavtest.Build(wavtest.Spec{Tag: 0x55, Channels: 1, Rate: 8000, Bits: 16},
			wavtest.Tone(8000, 440, 0.1), 100),
		"autoattendant/Support Team/Menu 1.wav": build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 22050, Bits: 16, List: true, NoPad: true}, 1200),
	}
}

func sampleUsersCP1252(t testing.TB) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(sampleUsers))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSampleExportUpToDate keeps the committed sample export equal to what
// this file describes; -update rewrites it.
func TestSampleExportUpToDate(t *testing.T) {
	files := sampleFiles()
	files["users.csv"] = sampleUsersCP1252(t)
	if *update {
		os.RemoveAll(sampleExport)
		for name, b := range files {
			p := filepath.Join(sampleExport, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(sampleExport, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator (run go test -update): %v", name, err)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, p, got, want)
	}
}

func TestConvertSampleExport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	phone, _ := NewPhoneFormat("49", "89")
	rep, err := Convert(context.Background(), sampleExport, out, Options{Users: UsersOptions{Phone: phone}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{UsersFile, ManifestFile, ReportFile} {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "sample."+filepath.Base(f), b)
	}

	// What an administrator checks in report.txt: each skipped row by its line.
	wantSkipped := map[int]string{4: "line break", 6: "LastName is empty", 7: `duplicate ID "u1001", first on line 2`,
		8: `duplicate account "corp\JMUELLER", first on line 2`, 9: "separator TAB"}
	if len(rep.Users.Skipped) != len(wantSkipped) {
		t.Errorf("skipped rows: %v", rep.Users.Skipped)
	}
	for _, p := range rep.Users.Skipped {
		if !strings.Contains(p.String(), wantSkipped[p.Line]) {
			t.Errorf("line %d: %q, want it to mention %q", p.Line, p, wantSkipped[p.Line])
		}
	}
	if len(rep.Users.Warnings) != 1 || rep.Users.Warnings[0].Line != 10 {
		t.Errorf("warnings: %v", rep.Users.Warnings)
	}

	// Every target file exists, is A-law 8 kHz mono and matches the manifest.
	wantTargets := []string{
		"prompts/users/u1001/greeting1.wav", "prompts/users/u1001/greeting2.wav", "prompts/users/u1001/recorded_name.wav",
		"prompts/users/u1002/greeting1.wav", "prompts/users/u1002/greeting3.wav", "prompts/users/u1002/recorded_name.wav",
		"prompts/users/u1008/greeting1.wav", "prompts/autoattendant/Hauptmenue/Begruessung.wav",
		"prompts/autoattendant/Support_Team/Menu_1.wav",
	}
	if len(rep.Prompts) != len(wantTargets) {
		t.Fatalf("%d prompts converted, want %d: %+v", len(rep.Prompts), len(wantTargets), rep.Prompts)
	}
	for i, p := range rep.Prompts {
		if p.Target != wantTargets[i] {
			t.Errorf("prompt %d: target %s, want %s", i, p.Target, wantTargets[i])
		}
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.Target)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := wav.Parse(b)
		if err != nil || s.Format.String() != "A-law 8000 Hz mono 8 bit" || p.DurationMS != 250 {
			t.Errorf("%s: %v %v, %d ms", p.Target, err, s, p.DurationMS)
		}
	}
	// A-law 8 kHz mono input is copied sample for sample.
	in, _ := os.ReadFile(filepath.Join(sampleExport, "voicemail/u1001/greeting2.wav"))
	got, _ := os.ReadFile(filepath.Join(out, "prompts/users/u1001/greeting2.wav"))
	sin, _ := wav.Parse(in)
	sgot, _ := wav.Parse(got)
	if !bytes.Equal(sin.Data, sgot.Data) {
		t.Error("A-law 8 kHz input was not copied unchanged")
	}
	wantSkippedFiles := []string{
		"autoattendant/Hauptmenü/Nacht Ansage.wav: unsupported WAV format: MPEG Layer 3 (MP3)",
		"voicemail/u1002/notes.txt: not a personal greeting",
		"voicemail/u1004/greeting1.wav: no user with UserKey \"u1004\"",
		"voicemail/u1010/greeting1.wav: invalid WAV file: truncated",
		"voicemail/u9999/greeting1.wav: no user with UserKey \"u9999\"",
	}
	if len(rep.Skipped) != len(wantSkippedFiles) {
		t.Fatalf("skipped files: %v", rep.Skipped)
	}
	for i, p := range rep.Skipped {
		if !strings.HasPrefix(p.String(), wantSkippedFiles[i]) {
			t.Errorf("skipped %d: %q, want prefix %q", i, p, wantSkippedFiles[i])
		}
	}
}
