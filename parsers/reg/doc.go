// Package reg reads and writes Windows registry files (.reg), the files
// regedit exports and imports:
//
//	Windows Registry Editor Version 5.00        (or REGEDIT4)
//
//	[HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS]     a key; [-KEY] deletes one
//	"Name"="text, \\ and \" escaped"             REG_SZ; @ names the default value
//	"Count"=dword:0000001f                       REG_DWORD
//	"Blob"=hex:4c,00,69,00,\                     REG_BINARY, continued
//	  6e,00,65,00                                on the next line
//	"Dirs"=hex(7):41,00,00,00,00,00              hex(N): type N (2 REG_EXPAND_SZ,
//	                                             7 REG_MULTI_SZ, b REG_QWORD)
//	"Old"=-                                      deletes the value
//	; a comment
//
// The format as implemented is described in docs/reg-format.md and defined by
// grammar/Reg.g4. [Reader] works like encoding/csv: [Reader.Read] returns one
// [Record] at a time (the header line, a key, a value with all its
// continuation lines, a comment or a blank line) and io.EOF at the end, so
// memory is bounded by the largest value, not by the file. By default each
// record is checked and decoded by a hand-written scanner that accepts
// exactly what the grammar accepts (the differential and fuzz tests hold it
// to that); [Reader.Grammar] makes the ANTLR parser generated from the
// grammar do the work instead. Errors are *position.Error values at
// file:line:column that say what was expected, worded from the grammar.
//
// Nothing is normalised. [Record.Raw] holds the record's bytes exactly as in
// the file (in its encoding, with its line ends), so writing the byte-order
// mark and every Raw in order (see [Writer] and [Reader.WriteTo]) gives the
// input back byte for byte. [Writer] writes new or changed records the way
// regedit exports them.
//
// Encodings: a UTF-16LE byte-order mark (FF FE) means UTF-16LE, no mark
// means the ANSI code page, read as Windows-1252. A UTF-8 or UTF-16BE mark,
// or UTF-16 without its mark, is refused: regedit rejects such files. Lines
// end in CRLF, LF or CR, each its own; the last line may have none. Columns
// in errors count characters: bytes in an ANSI file, UTF-16 code units in a
// Unicode file.
package reg
