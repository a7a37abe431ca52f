// Package infotool reads the data exports of the OpenScape Xpressions
// `infotool` program: the full export (`infotool fullexport`) and the journal
// export (`infotool export rec=JOURNAL`).
//
// A data export is a sequence of records:
//
//	; comment line (may be indented)
//	[JOURNAL]               a header: [TYPE] or [TYPE:KEY]
//	MSGID=0001A2F3-7C       NAME=VALUE until the next header
//	BODY=0x52494646         0x and hex digits: binary
//
// The format as implemented is described in docs/infotool.md and defined by
// grammar/Infotool.g4. [Reader] works like encoding/csv: [Reader.Read]
// returns one [Record] at a time and io.EOF at the end. Records are cut from
// the input by a byte scanner (a record is its header line and every line up
// to the next line starting with '['), so memory is bounded by the largest
// record, not by the file; each record is then parsed with the ANTLR parser
// generated from the grammar.
//
// Nothing is normalised. [Record.Raw] holds the record's bytes exactly as in
// the file (header, fields, blank and comment lines, line terminators, in the
// file's encoding), so writing back the preamble and every Raw in order (see
// [Writer] and [Reader.WriteTo]) gives the input back byte for byte.
//
// Encodings: a UTF-8 BOM means UTF-8, a UTF-16LE BOM means UTF-16LE, anything
// else is Windows code page 1252. Lines end in CRLF or LF, each its own; the
// last line may have none; a single 0x1A (DOS end-of-file) at the very end is
// kept ([Reader.Trailer]). Lines have no length limit.
package infotool
