package backup_test

import (
	"archive/tar"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xdm-migrate/xdm/internal/testtool"
)

// sparseFile marks a file written with holes (for GNU tar --sparse).
const sparseFile = 'S'

// file is one member of a generated Smart Backup.
type file struct {
	name string
	typ  byte // tar.TypeReg, TypeDir, TypeSymlink, TypeLink
	data []byte
	link string
}

func readTestdata(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// utf16File encodes s as regedit writes a version 5.00 export: UTF-16LE
// with a byte order mark.
func utf16File(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// satelliteReg is a satellite's export as regedit writes it on a 32-bit
// Windows (keys under HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM).
const satelliteReg = "Windows Registry Editor Version 5.00\r\n\r\n" +
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM]\r\n\r\n" +
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n" +
	"\"InstallDir\"=\"C:\\\\Program Files\\\\PP-COM\\\\MRS\"\r\n" +
	"\"Satellite\"=dword:00000001\r\n\r\n" +
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS\\Satellite]\r\n" +
	"\"Server\"=\"XPR01\"\r\n" +
	"\"Monitor Directory\"=hex(7):5c,00,5c,00,58,00,50,00,52,00,5c,00,4d,00,00,00,00,00\r\n\r\n"

// serverReg is regexp_serverconf.reg: already under Wow6432Node.
const serverReg = "Windows Registry Editor Version 5.00\r\n\r\n" +
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS]\r\n" +
	"\"ServerName\"=\"XPR01\"\r\n\r\n"

const ncoXML = "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n" +
	"<!-- NCO main tree, exported by the Smart Backup -->\r\n" +
	"<NcoMainTree version=\"7\">\r\n  <Node name=\"Root\" id=\"1\">\r\n    <Node name=\"Voicemail\" id=\"2\"/>\r\n  </Node>\r\n</NcoMainTree>\r\n"

const proposalsXML = "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<VariableProposals>\n  <Variable name=\"Gru\xdf\" value=\"M\xfcnchen\"/>\n</VariableProposals>\n"

const appHostXML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n  <application name=\"ucc\" port=\"8080\"/>\n</configuration>\n"

// smartBackup returns the members of a small Smart Backup with something
// for every fix to do, plus the kinds of members that must pass through:
// folders, empty files, links, a path longer than 100 bytes.
func smartBackup(t testing.TB) []file {
	long := "SmartBackup/FOLDERS/MsgStore/" + strings.Repeat("Mailbox-of-a-user-with-a-long-name/", 7) + "message-0001.eml"
	return []file{
		{name: "SmartBackup/", typ: tar.TypeDir},
		{name: "SmartBackup/INFOSTOR/", typ: tar.TypeDir},
		{name: "SmartBackup/INFOSTOR/fullexp.exp", data: readTestdata(t, "testdata/infotool/fullexport.txt")},
		{name: "SmartBackup/UCC/dump.sql", data: readTestdata(t, "sql/pgdump/testdata/utf8.in")},
		{name: "SmartBackup/REGISTRY/regexp_serverconf.reg", data: utf16File(serverReg)},
		{name: "SmartBackup/SATELLITE/SAT01.reg", data: utf16File(satelliteReg)},
		{name: "SmartBackup/NCO/NcoMainTree.xml", data: []byte(ncoXML)},
		{name: "SmartBackup/NCO/VariableProposals.xml", data: []byte(proposalsXML)},
		{name: "SmartBackup/UCC/application_host/ucc.xml", data: []byte(appHostXML)},
		{name: "SmartBackup/UCC/.keystore", data: []byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2}},
		{name: "SmartBackup/settings.ini", data: []byte("[Backup]\r\nOption=TOV7\r\n")},
		{name: "SmartBackup/FOLDERS/", typ: tar.TypeDir},
		{name: "SmartBackup/FOLDERS/empty.dat", data: []byte{}},
		{name: "SmartBackup/FOLDERS/greeting.wav", data: bytes.Repeat([]byte("RIFF\x00\x01WAVE"), 700)},
		{name: long, data: []byte("From: a@b\r\n\r\nhello\r\n")},
		{name: "SmartBackup/FOLDERS/greeting-link.wav", typ: tar.TypeSymlink, link: "greeting.wav"},
		{name: "SmartBackup/FOLDERS/greeting-hard.wav", typ: tar.TypeLink, link: "SmartBackup/FOLDERS/greeting.wav"},
	}
}

var mtime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// goTar writes files with Go's archive/tar in the given format.
func goTar(t testing.TB, files []file, format tar.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, ModTime: mtime, Format: format, Uname: "xpr", Gname: "xpr"}
		switch f.typ {
		case tar.TypeDir:
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		case tar.TypeSymlink, tar.TypeLink:
			h.Typeflag, h.Linkname = f.typ, f.link
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTree writes files into dir (links as links).
func writeTree(t testing.TB, dir string, files []file) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		switch f.typ {
		case tar.TypeDir:
			must(t, os.MkdirAll(p, 0o755))
		case tar.TypeSymlink:
			must(t, os.Symlink(f.link, p))
		case tar.TypeLink:
			must(t, os.Link(filepath.Join(dir, filepath.FromSlash(f.link)), p))
		case sparseFile:
			// 4 MiB with data at 1 MiB only: GNU tar --sparse stores the data
			// and a map of the holes.
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			fh, err := os.Create(p)
			must(t, err)
			must(t, fh.Truncate(4<<20))
			_, err = fh.WriteAt(f.data, 1<<20)
			must(t, err)
			must(t, fh.Close())
		default:
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			must(t, os.WriteFile(p, f.data, 0o644))
		}
		must(t, os.Chtimes(p, mtime, mtime))
	}
}

// toolTar archives files with an installed tar program ("tar" for GNU tar,
// "bsdtar") and the given format arguments.
func toolTar(t testing.TB, tool string, files []file, args ...string) []byte {
	t.Helper()
	bin := testtool.LookPath(t, tool, "GNU tar (tar) and bsdtar (Debian package libarchive-tools)")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeTree(t, src, files)
	out := filepath.Join(dir, "out.tar")
	cmd := exec.Command(bin, append(append([]string{"-cf", out}, args...), "-C", src, "SmartBackup")...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
	b, err := os.ReadFile(out)
	must(t, err)
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
