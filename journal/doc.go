// Package journal fixes the CONTENTTYPE of voice messages in XPR journal
// exports (infotool export rec=JOURNAL, or a full export) after restoring an
// XPR V5 or MRS 8.03 backup on XPR V7.
//
// In every [JOURNAL] record, a CONTENTTYPE field whose value is the decimal
// number 4352, or a number from 500 to 599, is set to 1092. Spaces and tabs
// around the number are kept, leading zeros count as the number they spell,
// and every other byte of the file stays as it was: line endings (CRLF, LF or
// mixed), a missing final newline, a final 0x1A, a UTF-8 or UTF-16LE byte
// order mark and lines of any length. UTF-16LE files are read as 16-bit code
// units and written back as UTF-16LE.
//
// Fix streams a journal from a reader to a writer through the parallel,
// order-preserving engine of package transform: memory stays bounded by the
// chunk size times the number of workers (or by the longest line, when one is
// longer), whatever the size of the journal. FixFile adds the safe file
// handling: output to a temporary file in the destination folder, synced and
// renamed into place, the original kept as FILE.orig when fixing in place.
//
// Every line is checked against the line grammar of the infotool export
// format (headers, fields, comments, escapes); a line that does not fit is an
// error naming file:line:column and what was expected, or, with
// Options.Lenient, passed through unchanged and reported. Options.Validate
// additionally parses every record with the full ANTLR grammar of package
// parsers/infotool.
package journal
