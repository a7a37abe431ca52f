// Package batch splits SQLCMD scripts into the batches that sqlcmd would send
// to SQL Server, and into the sqlcmd commands between them. It works on bytes,
// knows nothing about connections or drivers, and reads any io.Reader with
// memory bounded by the largest batch, not by the script.
//
// # The script language
//
// A batch ends at a line holding only GO, optionally followed by a repeat
// count ("GO 5", "GO $(Count)") and a -- comment, unless that line lies inside
// a '...' string, a "..." or [...] identifier, or a /* */ comment (nested as
// SQL Server nests them) that started on an earlier line. A line starting
// with ':' (after blanks) is an sqlcmd command: :setvar, :r, :on error, :exit,
// :quit, :reset, :listvar, :error, :out, :list, :connect, :ed, :serverlist,
// :xml, :perftrace, :help; so is "!!". As in sqlcmd, exit, quit, reset, ed and
// on error are commands without the colon too. Commands and GO are
// case-insensitive. $(NAME) (NAME of letters, digits, '_' and '-',
// case-insensitive) is replaced by the value the scripting variable has when
// the batch ends, in code, strings and identifiers but not in comments; the
// arguments of :r, :out, :error and the GO count are substituted too. These
// rules are Microsoft's sqlcmd's, checked batch for batch against go-sqlcmd
// (module sql/batch/sqlcmdcompat); docs/sqlcmd-compat.md lists where this
// package deliberately differs.
//
// # Two modes
//
// In the normal mode (Options.Raw false) Read returns what sqlcmd executes:
// each Batch Item holds the batch text after variable substitution, with the
// files named by :r read in place; :setvar, :r and :reset are carried out by
// the Reader and not returned; batches holding only blanks are dropped; every
// other command is returned as a Command Item for the caller to carry out
// (:on error, :exit, :out, ...). Reader.Vars lists the variables for :listvar.
//
// In the raw mode (Options.Raw true) Read returns the script as it is written,
// for tools that rewrite scripts: no substitution, :r is not followed, and
// every byte of the input belongs to exactly one Item, so writing Item.Raw of
// all items in order reproduces the input byte for byte. A Batch Item's Raw is
// its SQL (the exact source lines, terminators included) followed by Go, the
// exact GO line including its line terminator. Go is empty for the last batch
// of a script without a final GO, and for the SQL lines before a command line
// in the middle of a batch: sqlcmd's batch then continues after the command,
// and the next Batch Item carries the same Ordinal.
//
// Line terminators are never changed: "\r\n", "\n" and a final line without
// a terminator come back as they were read; a UTF-8 byte order mark at the
// start is kept in Raw and left out of the normal mode's text. Other encodings
// (UTF-16, code page 1252) are converted to UTF-8 before splitting: by
// OpenScript as sqlcmd reads a script, refusing bytes that are not valid in
// the encoding, or by Decode.
//
// Problems at a place in a script are *position.Error values whose cause
// wraps one of the Err* values of this package.
//
// Item slices (Raw, SQL, Go) are only valid until the next call to Read; use
// Item.Clone to keep an item.
package batch
