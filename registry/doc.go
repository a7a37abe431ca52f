// Package registry carries out the registry steps of an OpenScape
// Xpressions (XPR) upgrade on .reg files, byte-safely and streaming:
//
//   - [Wow64] moves the keys of HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM (or
//     another vendor) to the 32-bit view HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM,
//     for the satellites' <hostname>.reg of a Smart Backup.
//   - [RenameHost] puts a cluster's network name in place of a node's name
//     under the XPR subtrees only, in key paths, value names and string
//     data, and drops the node's elements of multi-string values.
//   - [Diff] compares two exports, key paths without regard to case as
//     Windows does, with the 32-bit and 64-bit views folded if asked.
//   - [WriteSettings] writes a .reg for single settings the manual names
//     ([Settings]), to import instead of typing them into regedit.
//
// The format itself (reader, writer, values) is package parsers/reg. Every
// function takes a context and streams from an io.Reader to an io.Writer,
// with options whose zero value works; what it did comes back as a report
// value, problems in the input as *position.Error, and the kinds of failure
// as sentinel errors. Nothing that a function does not mean to change is
// changed: the encoding, the byte-order mark, line ends and every other byte
// stay as they were. The *File functions rewrite a file safely: a temporary
// file in the target's folder, synced and renamed into place, the original
// kept as FILE.orig.
package registry
