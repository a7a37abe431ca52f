package downgrade

import (
	"github.com/xdm-migrate/xdm/sql/version"
)

// In-Memory OLTP (Microsoft Docs, "CREATE TABLE", MEMORY_OPTIMIZED and
// DURABILITY: "Applies to: SQL Server 2014 (12.x) and later"; "CREATE
// PROCEDURE", NATIVE_COMPILATION: 2014; "CREATE FUNCTION" and "CREATE
// TRIGGER", natively compiled: 2016; "ALTER TABLE" on memory-optimized
// tables (ADD|ALTER|DROP INDEX) and ALTER of a natively compiled module:
// 2016, "What's new in SQL Server 2016, In-Memory OLTP").
//
// Below 2014 a memory-optimized table is created as the disk-based table it
// describes, as temporal tables become plain tables: the rows and the
// schema are kept, the storage and its guarantees are not, and the report
// says so per option. Natively compiled modules are refused, as every
// module body xdm cannot rewrite safely: an atomic block with its own
// isolation level and language has no interpreted equivalent that keeps
// its behaviour.

// matchMemoryOptimized turns memory-optimized tables and table types into
// disk-based ones: MEMORY_OPTIMIZED and DURABILITY leave the table's WITH
// list, NONCLUSTERED HASH indexes become NONCLUSTERED ones without
// BUCKET_COUNT, and a filegroup CONTAINS MEMORY_OPTIMIZED_DATA becomes an
// ordinary filegroup, so that the ADD FILE ... TO FILEGROUP after it still
// runs.
func matchMemoryOptimized(b *batch, r *ruleDef) {
	for _, i := range b.at("MEMORY_OPTIMIZED", "DURABILITY", "BUCKET_COUNT") {
		if !b.inCreateTable(i) {
			continue // ALTER TABLE ... ADD INDEX: memory-optimized-alter-table refuses it
		}
		l, k := b.listItem(i, indexList)
		if l == nil {
			continue
		}
		l.drop[k] = true
		b.report(i, r, Omit, 0, b.itemText(l, k)+": "+memoryOptionLoss(b, i))
	}
	for _, i := range b.at("HASH") {
		if b.word(i, "HASH") && b.word(i-1, "NONCLUSTERED") && b.inCreateTable(i) {
			b.remove(i, i+1, false)
			b.report(i, r, Omit, 0, "HASH omitted: the hash index becomes a nonclustered (B-tree) index on the same columns")
		}
	}
	for _, i := range b.at("SNAPSHOT") {
		b.dropSnapshotHint(i, r)
	}
	for _, i := range b.at("MEMORY_OPTIMIZED_DATA") {
		if !b.word(i, "MEMORY_OPTIMIZED_DATA") || !b.word(i-1, "CONTAINS") || !b.isNamePart(i-2) || !b.word(i-3, "FILEGROUP") {
			continue
		}
		b.remove(i-1, i+1, false)
		b.report(i-1, r, Omit, 0, "CONTAINS MEMORY_OPTIMIZED_DATA omitted: filegroup "+b.plainName(i-2)+
			" becomes an ordinary filegroup that no table uses (memory-optimized tables become disk-based on the default filegroup); each container added to it becomes a data file at the container's path")
	}
}

// dropSnapshotHint removes the table hint SNAPSHOT at toks[i], which
// only memory-optimized tables take ("Table hints": "Applies to: SQL
// Server 2014 (12.x) and later"), from WITH (...) after a table.
func (b *batch) dropSnapshotHint(i int, r *ruleDef) {
	p := b.parentOf(i)
	if !b.word(i, "SNAPSHOT") || p < 0 || !b.word(p-1, "WITH") ||
		!(b.punct(i-1, "(") || b.punct(i-1, ",")) || !(b.punct(i+1, ")") || b.punct(i+1, ",")) {
		return
	}
	switch {
	case p+1 == i && b.close[p] == i+1:
		b.remove(p-1, p+3, false) // WITH (SNAPSHOT)
	case b.punct(i-1, ","):
		b.remove(i-1, i+1, false)
	default:
		b.remove(i, i+2, false)
	}
	b.report(i, r, Omit, 0, "table hint SNAPSHOT omitted: the table is disk-based on the target and is read under the session's isolation level")
}

// inCreateTable reports whether toks[i] belongs to a CREATE TABLE or
// CREATE TYPE ... AS TABLE statement.
func (b *batch) inCreateTable(i int) bool {
	c := b.stmtBack(b.outermost(i), "CREATE")
	return c >= 0 && (b.word(c+1, "TABLE") || b.word(c+1, "TYPE"))
}

// memoryOptionLoss says what the option at toks[i] of a memory-optimized
// table no longer does on the target.
func memoryOptionLoss(b *batch, i int) string {
	switch {
	case b.word(i, "MEMORY_OPTIMIZED"):
		return "the table (or table type) is created disk-based: rows live in data pages and take locks as usual"
	case b.word(i, "BUCKET_COUNT"):
		return "a nonclustered (B-tree) index has no buckets"
	case b.word(i+2, "SCHEMA_ONLY"):
		return "the disk-based table is durable: its rows now survive a restart, which SCHEMA_ONLY did not keep"
	}
	return "a disk-based table is durable, as SCHEMA_AND_DATA was"
}

// matchNativeModule refuses natively compiled modules where the target
// cannot create them: procedures before 2014, functions and triggers and
// any ALTER of a natively compiled module before 2016. BEGIN ATOMIC, the
// body such a module must have, is refused with it before 2014.
func matchNativeModule(b *batch, r *ruleDef) {
	for _, i := range b.at("NATIVE_COMPILATION") {
		c := b.stmtBack(i, "CREATE", "ALTER")
		if !b.word(i, "NATIVE_COMPILATION") || c < 0 {
			continue
		}
		if b.word(c-1, "OR") && b.word(c-2, "CREATE") {
			c -= 2 // CREATE OR ALTER
		}
		kind, orAlter := c+1, b.word(c+1, "OR")
		if orAlter {
			kind += 2
		}
		since, msg := version.SQL2016, "natively compiled functions and triggers need 2016; rewrite it by hand as an interpreted module (without NATIVE_COMPILATION, SCHEMABINDING and BEGIN ATOMIC)"
		switch {
		case orAlter || (b.word(c, "CREATE") && b.wordIn(kind, "PROC", "PROCEDURE")):
			// From 2014 on, create-or-alter refuses CREATE OR ALTER of a
			// natively compiled module with its own reason.
			since, msg = version.SQL2014, "the target has no In-Memory OLTP, so no natively compiled modules; rewrite it by hand as an interpreted module (without NATIVE_COMPILATION, SCHEMABINDING and BEGIN ATOMIC)"
		case b.word(c, "ALTER"):
			msg = "a natively compiled module cannot be altered before 2016; drop and create it by hand"
		}
		if b.target < since {
			b.report(i, r, Refuse, since, msg)
		}
	}
	if b.target >= version.SQL2014 {
		return
	}
	for _, i := range b.at("ATOMIC") {
		if b.word(i, "ATOMIC") && b.word(i-1, "BEGIN") {
			b.report(i-1, r, Refuse, version.SQL2014, "BEGIN ATOMIC, the body of a natively compiled module, does not exist on the target")
		}
	}
}

// matchMemoryAlterTable refuses ALTER TABLE ... ADD INDEX | ALTER INDEX |
// DROP INDEX, which only memory-optimized tables have, from 2016 on.
func matchMemoryAlterTable(b *batch, r *ruleDef) {
	for _, i := range b.at("ALTER") {
		if !b.word(i, "ALTER") || !b.word(i+1, "TABLE") {
			continue
		}
		next, parts := b.name(i + 2)
		if parts != nil && b.wordIn(next, "ADD", "ALTER", "DROP") && b.word(next+1, "INDEX") {
			b.report(next, r, Refuse, 0, "")
		}
	}
}
