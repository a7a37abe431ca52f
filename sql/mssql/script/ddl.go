package script

import (
	"fmt"
	"math"
	"math/big"
	"path"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

var q, qn = catalog.QuoteName, catalog.QualifiedName

// createDatabase scripts CREATE DATABASE with its file groups and files.
// File paths become $(DataPath)/$(LogPath) relative names set by :setvar,
// defaulting to the source's folders, so the script can be pointed elsewhere.
func (s *scripter) createDatabase() error {
	db := s.snap.Database
	name := s.dbName()
	if err := s.begin("database", name); err != nil {
		return err
	}
	tgt := s.opts.Target
	dataDir, logDir := "", ""
	for _, fg := range db.Filegroups {
		if fg.Type == "ROWS" && len(fg.Files) > 0 && dataDir == "" {
			dataDir = winDir(fg.Files[0].PhysicalName)
		}
	}
	if len(db.LogFiles) > 0 {
		logDir = winDir(db.LogFiles[0].PhysicalName)
	}
	var b strings.Builder
	b.WriteString(":setvar DataPath " + sqlcmdValue(dataDir) + nl)
	b.WriteString(":setvar LogPath " + sqlcmdValue(logDir) + nl)
	b.WriteString("USE [master];" + nl + "GO" + nl)
	s.write(b.String())
	b.Reset()
	b.WriteString("CREATE DATABASE " + q(name))
	first := true
	sep := func() {
		if first {
			b.WriteString(nl + "ON ")
			first = false
		} else {
			b.WriteString("," + nl + "   ")
		}
	}
	// PRIMARY first, as CREATE DATABASE requires.
	fgs := append([]catalog.Filegroup{}, db.Filegroups...)
	for i := range fgs {
		if strings.EqualFold(fgs[i].Name, "PRIMARY") && i > 0 {
			fgs[0], fgs[i] = fgs[i], fgs[0]
		}
	}
	for _, fg := range fgs {
		switch fg.Type {
		case "MEMORY_OPTIMIZED_DATA":
			if tgt < version.SQL2014 {
				s.note("database", "memory-optimized filegroup", "file group %s left out: %s has no memory-optimized tables", q(fg.Name), tgt)
				continue
			}
		case "FILESTREAM":
		default:
			fg.Type = "ROWS"
		}
		sep()
		if strings.EqualFold(fg.Name, "PRIMARY") {
			b.WriteString("PRIMARY ")
		} else {
			b.WriteString("FILEGROUP " + q(fg.Name))
			switch fg.Type {
			case "FILESTREAM":
				b.WriteString(" CONTAINS FILESTREAM")
			case "MEMORY_OPTIMIZED_DATA":
				b.WriteString(" CONTAINS MEMORY_OPTIMIZED_DATA")
			}
			if fg.IsDefault && fg.Type == "ROWS" {
				b.WriteString(" DEFAULT")
			}
			b.WriteString(" ")
		}
		for i, f := range fg.Files {
			if i > 0 {
				b.WriteString("," + nl + "    ")
			}
			b.WriteString(fileSpec(f, fg.Type == "ROWS", dataDir, "DataPath"))
		}
	}
	if len(db.LogFiles) > 0 {
		b.WriteString(nl + "LOG ON ")
		for i, f := range db.LogFiles {
			if i > 0 {
				b.WriteString("," + nl + "    ")
			}
			b.WriteString(fileSpec(f, true, logDir, "LogPath"))
		}
	}
	if db.Collation != "" {
		coll := s.collation("database", db.Collation)
		b.WriteString(nl + "COLLATE " + coll)
	}
	b.WriteString(";")
	// This batch uses $(DataPath) and $(LogPath) on purpose, so it is not
	// guarded; any other "$(" would be substituted by sqlcmd.
	text := b.String()
	if strings.Count(text, "$(") != strings.Count(text, "$(DataPath)")+strings.Count(text, "$(LogPath)") || needsGuard(strings.ReplaceAll(strings.ReplaceAll(text, "$(DataPath)", ""), "$(LogPath)", "")) {
		return fmt.Errorf("database files: a file name or path holds \"$(\" or a line break, which sqlcmd would alter; use --create-database only after renaming it")
	}
	s.write(text + nl + "GO" + nl)
	b.Reset()
	level := db.CompatibilityLevel
	if max := tgt.MaxCompatibilityLevel(); level == 0 || level > max {
		if level > max {
			s.note("database", "compatibility level", "COMPATIBILITY_LEVEL %d lowered to %d, the highest %s accepts", level, max, tgt)
		}
		level = max
	}
	b.WriteString("ALTER DATABASE " + q(name) + " SET COMPATIBILITY_LEVEL = " + strconv.Itoa(level) + ";" + nl)
	if db.RecoveryModel != "" {
		b.WriteString("ALTER DATABASE " + q(name) + " SET RECOVERY " + strings.ReplaceAll(db.RecoveryModel, " ", "_") + ";" + nl)
	}
	if db.ReadCommittedSnapshot {
		b.WriteString("ALTER DATABASE " + q(name) + " SET READ_COMMITTED_SNAPSHOT ON;" + nl)
	}
	if db.SnapshotIsolation {
		b.WriteString("ALTER DATABASE " + q(name) + " SET ALLOW_SNAPSHOT_ISOLATION ON;" + nl)
	}
	if db.FilestreamDirectory != "" {
		if tgt >= version.SQL2012 {
			b.WriteString("ALTER DATABASE " + q(name) + " SET FILESTREAM (DIRECTORY_NAME = " + string(mustLit(db.FilestreamDirectory)) + ");" + nl)
		} else {
			s.note("database", "filestream directory", "FILESTREAM DIRECTORY_NAME left out: %s has no FileTables", tgt)
		}
	}
	if err := s.batch("database", strings.TrimSuffix(b.String(), nl)); err != nil {
		return err
	}
	s.write("USE " + q(name) + ";" + nl + "GO" + nl)
	s.done("DATABASE")
	return s.errw
}

// winDir is the folder of a Windows path, with its trailing backslash.
func winDir(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// sqlcmdValue quotes a :setvar value.
func sqlcmdValue(v string) string {
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

func fileSpec(f catalog.File, sized bool, dir, dirVar string) string {
	fn := f.PhysicalName
	if dir != "" && strings.HasPrefix(strings.ToLower(fn), strings.ToLower(dir)) {
		fn = "$(" + dirVar + ")" + fn[len(dir):]
	}
	spec := "(NAME = " + string(mustLit(f.Name)) + ", FILENAME = " + string(mustLit(fn))
	if sized {
		if f.SizeKB > 0 {
			spec += ", SIZE = " + fileSize(f.SizeKB)
		}
		switch {
		case f.MaxSizeKB < 0:
			spec += ", MAXSIZE = UNLIMITED"
		case f.MaxSizeKB > 0:
			spec += ", MAXSIZE = " + fileSize(f.MaxSizeKB)
		}
		switch {
		case f.GrowthPercent > 0:
			spec += ", FILEGROWTH = " + strconv.Itoa(f.GrowthPercent) + "%"
		case f.GrowthKB > 0:
			spec += ", FILEGROWTH = " + fileSize(f.GrowthKB)
		default:
			spec += ", FILEGROWTH = 0"
		}
	}
	return spec + ")"
}

// fileSize writes a file size the way SQL Server's own scripts do: in KB
// while the number fits the int the grammar takes, else in GB or MB (the 2 TB
// limit of a log file is 2048GB, never 2147483648KB). Sizes are whole pages,
// so they divide into MB; a size that does not is rounded up to the next MB.
func fileSize(kb int64) string {
	const mb, gb = 1 << 10, 1 << 20
	switch {
	case kb <= math.MaxInt32:
		return strconv.FormatInt(kb, 10) + "KB"
	case kb%gb == 0:
		return strconv.FormatInt(kb/gb, 10) + "GB"
	default:
		return strconv.FormatInt((kb+mb-1)/mb, 10) + "MB"
	}
}

// collation returns name usable on the target: UTF-8 collations (2019) lose
// their _UTF8 suffix on older targets.
func (s *scripter) collation(object, name string) string {
	if s.opts.Target < version.SQL2019 && strings.HasSuffix(strings.ToUpper(name), "_UTF8") {
		s.note(object, "UTF-8 collation", "collation %s replaced by %s: UTF-8 collations need SQL Server 2019", name, name[:len(name)-5])
		return name[:len(name)-5]
	}
	return name
}

// schemaObjects scripts principals, schemas, types, sequences and synonyms.
func (s *scripter) schemaObjects() error {
	tgt := s.opts.Target
	if s.opts.Principals {
		for _, p := range s.snap.Principals {
			if err := s.begin("user", p.Name); err != nil {
				return err
			}
			var text string
			switch p.Kind {
			case "DATABASE_ROLE":
				text = "CREATE ROLE " + q(p.Name) + ";"
			case "WINDOWS_USER", "WINDOWS_GROUP", "SQL_USER":
				text = "CREATE USER " + q(p.Name)
				switch {
				case p.WithoutLogin:
					text += " WITHOUT LOGIN"
				case p.Login != "":
					text += " FOR LOGIN " + q(p.Login)
				}
				if p.DefaultSchema != "" && p.Kind != "WINDOWS_GROUP" {
					text += " WITH DEFAULT_SCHEMA = " + q(p.DefaultSchema)
				}
				text += ";"
			default:
				continue
			}
			if err := s.batch(q(p.Name), text); err != nil {
				return err
			}
			s.done("PRINCIPAL")
		}
		if len(s.snap.RoleMembers) > 0 {
			var b strings.Builder
			for _, m := range s.snap.RoleMembers {
				if tgt >= version.SQL2012 {
					b.WriteString("ALTER ROLE " + q(m.Role) + " ADD MEMBER " + q(m.Member) + ";" + nl)
				} else {
					b.WriteString("EXEC sys.sp_addrolemember " + string(mustLit(m.Role)) + ", " + string(mustLit(m.Member)) + ";" + nl)
				}
			}
			if err := s.batch("role members", strings.TrimSuffix(b.String(), nl)); err != nil {
				return err
			}
		}
	}
	for _, sc := range s.snap.Schemas {
		if err := s.begin("schema", sc.Name); err != nil {
			return err
		}
		text := "CREATE SCHEMA " + q(sc.Name)
		if sc.Owner != "" && (strings.EqualFold(sc.Owner, "dbo") || s.opts.Principals) {
			text += " AUTHORIZATION " + q(sc.Owner)
		}
		if err := s.batch(q(sc.Name), text+";"); err != nil {
			return err
		}
		s.done("SCHEMA")
	}
	for _, u := range s.snap.Types {
		name := qn(u.Schema, u.Name)
		if err := s.begin("type", u.Schema+"."+u.Name); err != nil {
			return err
		}
		var text string
		if u.Table != nil {
			body, err := s.tableBody(u.Table, true)
			if err != nil {
				return err
			}
			text = "CREATE TYPE " + name + " AS TABLE (" + nl + body + nl + ");"
		} else {
			null := " NULL"
			if !u.Nullable {
				null = " NOT NULL"
			}
			text = "CREATE TYPE " + name + " FROM " + u.Base.SQL() + null + ";"
		}
		if err := s.batch(name, text); err != nil {
			return err
		}
		s.done("TYPE")
	}
	for _, sq := range s.snap.Sequences {
		name := qn(sq.Schema, sq.Name)
		if !s.selected(sq.Schema, sq.Name) {
			continue
		}
		if tgt < version.SQL2012 {
			s.note(name, "sequence", "left out: sequences need SQL Server 2012 (defaults using NEXT VALUE FOR will fail)")
			continue
		}
		if err := s.begin("sequence", sq.Schema+"."+sq.Name); err != nil {
			return err
		}
		if err := s.batch(name, sequenceSQL(sq)); err != nil {
			return err
		}
		s.done("SEQUENCE")
	}
	for _, sy := range s.snap.Synonyms {
		if !s.selected(sy.Schema, sy.Name) {
			continue
		}
		name := qn(sy.Schema, sy.Name)
		if err := s.begin("synonym", sy.Schema+"."+sy.Name); err != nil {
			return err
		}
		parts, err := splitMultipart(sy.Target)
		if err != nil {
			return fmt.Errorf("synonym %s: %w", name, err)
		}
		for i := range parts {
			parts[i] = q(parts[i])
		}
		if err := s.batch(name, "CREATE SYNONYM "+name+" FOR "+strings.Join(parts, ".")+";"); err != nil {
			return err
		}
		s.done("SYNONYM")
	}
	return s.errw
}

// splitMultipart splits a name like [srv].[db].dbo.[t]]x] into its parts.
func splitMultipart(s string) ([]string, error) {
	var parts []string
	for len(s) > 0 {
		if s[0] == '[' {
			var b strings.Builder
			i := 1
			for ; i < len(s); i++ {
				if s[i] == ']' {
					if i+1 < len(s) && s[i+1] == ']' {
						b.WriteByte(']')
						i++
						continue
					}
					break
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated [ in %q", s)
			}
			parts = append(parts, b.String())
			s = s[i+1:]
		} else {
			j := strings.IndexByte(s, '.')
			if j < 0 {
				j = len(s)
			}
			parts = append(parts, s[:j])
			s = s[j:]
		}
		if len(s) > 0 {
			if s[0] != '.' {
				return nil, fmt.Errorf("unexpected %q in a multi-part name", s)
			}
			s = s[1:]
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("empty name")
	}
	return parts, nil
}

// sequenceSQL restarts the sequence after its current value so that new
// numbers do not collide with the copied rows (a sequence never used skips
// its first number). Past the end it restarts at the other end when it
// cycles, else at the current value, where the next call fails as on the
// source.
func sequenceSQL(sq catalog.Sequence) string {
	start := sq.Start
	if sq.Current != "" {
		cur, inc, min, max := mustRat(sq.Current), mustRat(sq.Increment), mustRat(sq.Min), mustRat(sq.Max)
		next := new(big.Rat).Add(cur, inc)
		switch {
		case next.Cmp(min) >= 0 && next.Cmp(max) <= 0:
			start = next.RatString()
		case sq.Cycle && inc.Sign() > 0:
			start = sq.Min
		case sq.Cycle:
			start = sq.Max
		default:
			start = sq.Current
		}
	}
	text := "CREATE SEQUENCE " + qn(sq.Schema, sq.Name) + " AS " + sq.Type.SQL() +
		nl + "    START WITH " + start + " INCREMENT BY " + sq.Increment +
		nl + "    MINVALUE " + sq.Min + " MAXVALUE " + sq.Max
	if sq.Cycle {
		text += " CYCLE"
	} else {
		text += " NO CYCLE"
	}
	switch {
	case sq.NoCache:
		text += " NO CACHE"
	case sq.Cache > 0:
		text += " CACHE " + strconv.Itoa(sq.Cache)
	default:
		text += " CACHE"
	}
	return text + ";"
}

// mustRat parses a number the snapshot validation has checked.
func mustRat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Rat)
	}
	return r
}

// baseType resolves an alias type to its system type (for literals).
func (s *scripter) baseType(t catalog.Type) catalog.Type {
	if t.IsUserDefined() {
		if b, ok := s.types[strings.ToLower(t.Schema+"."+t.Name)]; ok {
			return b
		}
	}
	return t
}

// columnSQL renders one column definition.
func (s *scripter) columnSQL(t *catalog.Table, c catalog.Column, object string) string {
	tgt := s.opts.Target
	var b strings.Builder
	b.WriteString("    " + q(c.Name) + " ")
	if c.Computed != nil {
		b.WriteString("AS " + c.Computed.Definition)
		if c.Computed.Persisted {
			b.WriteString(" PERSISTED")
			if !c.Nullable {
				b.WriteString(" NOT NULL")
			}
		}
		return b.String()
	}
	b.WriteString(c.Type.SQL())
	if c.ColumnSet {
		b.WriteString(" COLUMN_SET FOR ALL_SPARSE_COLUMNS")
		return b.String()
	}
	// An alias type column takes the database collation by default; COLLATE
	// is written for it only when it differs.
	if c.Collation != "" && !(c.Type.IsUserDefined() && strings.EqualFold(c.Collation, s.snap.Database.Collation)) {
		b.WriteString(" COLLATE " + s.collation(object+"."+q(c.Name), c.Collation))
	}
	if c.Sparse {
		b.WriteString(" SPARSE")
	}
	if c.FileStream {
		b.WriteString(" FILESTREAM")
	}
	if c.Identity != nil {
		b.WriteString(" IDENTITY(" + c.Identity.Seed + ", " + c.Identity.Increment + ")")
		if c.Identity.NotForReplication {
			b.WriteString(" NOT FOR REPLICATION")
		}
	}
	if c.RowGUIDCol {
		b.WriteString(" ROWGUIDCOL")
	}
	if c.MaskFunction != "" {
		if tgt >= version.SQL2016 {
			b.WriteString(" MASKED WITH (FUNCTION = " + string(mustLit(c.MaskFunction)) + ")")
		} else {
			s.note(object+"."+q(c.Name), "dynamic data masking", "MASKED WITH (FUNCTION = '%s') left out: masking needs SQL Server 2016", c.MaskFunction)
		}
	}
	if c.Nullable {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Default != nil {
		if c.Default.Name != "" {
			b.WriteString(" CONSTRAINT " + q(c.Default.Name))
		}
		b.WriteString(" DEFAULT " + c.Default.Definition)
	}
	return b.String()
}

// mustLit is the plain N'...' literal of v for DDL. DDL cannot take
// concatenations (procedure arguments, DIRECTORY_NAME), so a DDL batch whose
// literals hold "$(" or a command line is wrapped whole in EXEC by batch.
func mustLit(v string) []byte {
	return appendQuoted(nil, v, true)
}

// tableBody renders the column list plus the inline keys: the primary key
// and unique constraints when they are clustered (they must exist before the
// data), or all of them for table types, which have no ALTER.
func (s *scripter) tableBody(t *catalog.Table, tableType bool) (string, error) {
	object := qn(t.Schema, t.Name)
	var lines []string
	for _, c := range t.Columns {
		lines = append(lines, s.columnSQL(t, c, object))
	}
	inline := tableType || keysInline(t)
	if k := t.PrimaryKey; k != nil && (k.Clustered || inline) {
		lines = append(lines, "    "+s.keySQL("PRIMARY KEY", *k, tableType, object))
	}
	for _, k := range t.Uniques {
		if k.Clustered || inline {
			lines = append(lines, "    "+s.keySQL("UNIQUE", k, tableType, object))
		}
	}
	if tableType {
		for _, c := range t.Checks {
			lines = append(lines, "    CHECK "+c.Definition)
		}
	}
	return strings.Join(lines, ","+nl), nil
}

// keysInline reports whether all keys of t go into CREATE TABLE: a
// memory-optimized table cannot get them later, and a FILESTREAM table needs
// the unique ROWGUIDCOL key when it is created.
func keysInline(t *catalog.Table) bool {
	if t.MemoryOptimized {
		return true
	}
	for _, c := range t.Columns {
		if c.FileStream {
			return true
		}
	}
	return false
}

// keySQL renders CONSTRAINT [n] PRIMARY KEY CLUSTERED (cols) WITH (...) ON [fg].
// Table types take no names, options or file groups.
func (s *scripter) keySQL(kind string, k catalog.Key, tableType bool, object string) string {
	var b strings.Builder
	if !tableType {
		b.WriteString("CONSTRAINT " + q(k.Name) + " ")
	}
	b.WriteString(kind)
	if k.Clustered {
		b.WriteString(" CLUSTERED")
	} else {
		b.WriteString(" NONCLUSTERED")
	}
	b.WriteString(" (" + indexColumns(k.Columns) + ")")
	if !tableType {
		b.WriteString(s.indexWith(k.Options, object+"."+q(k.Name)))
		if k.Filegroup != "" {
			b.WriteString(" ON " + q(k.Filegroup))
		}
	}
	return b.String()
}

func indexColumns(cols []catalog.IndexColumn) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = q(c.Name)
		if c.Descending {
			parts[i] += " DESC"
		} else {
			parts[i] += " ASC"
		}
	}
	return strings.Join(parts, ", ")
}

func quoteAll(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = q(n)
	}
	return strings.Join(parts, ", ")
}

// indexWith renders the WITH (...) of an index, leaving out what the target
// does not have.
func (s *scripter) indexWith(o catalog.IndexOptions, object string) string {
	var opts []string
	if o.PadIndex {
		opts = append(opts, "PAD_INDEX = ON")
	}
	if o.FillFactor > 0 && o.FillFactor < 100 {
		opts = append(opts, "FILLFACTOR = "+strconv.Itoa(o.FillFactor))
	}
	if o.IgnoreDupKey {
		opts = append(opts, "IGNORE_DUP_KEY = ON")
	}
	if o.NoRowLocks {
		opts = append(opts, "ALLOW_ROW_LOCKS = OFF")
	}
	if o.NoPageLocks {
		opts = append(opts, "ALLOW_PAGE_LOCKS = OFF")
	}
	if o.DataCompression != "" {
		opts = append(opts, "DATA_COMPRESSION = "+o.DataCompression)
	}
	if o.CompressionDelay > 0 {
		if s.opts.Target >= version.SQL2016 {
			opts = append(opts, "COMPRESSION_DELAY = "+strconv.Itoa(o.CompressionDelay))
		} else {
			s.note(object, "COMPRESSION_DELAY", "left out: needs SQL Server 2016")
		}
	}
	if o.OptimizeForSequentialKey {
		if s.opts.Target >= version.SQL2019 {
			opts = append(opts, "OPTIMIZE_FOR_SEQUENTIAL_KEY = ON")
		} else {
			s.note(object, "OPTIMIZE_FOR_SEQUENTIAL_KEY", "left out: needs SQL Server 2019")
		}
	}
	if len(opts) == 0 {
		return ""
	}
	return " WITH (" + strings.Join(opts, ", ") + ")"
}

// createTable scripts CREATE TABLE with the clustered key or index, so the
// data loads into its final clustered order.
func (s *scripter) createTable(t *catalog.Table) error {
	tgt := s.opts.Target
	object := qn(t.Schema, t.Name)
	if err := s.begin("table", t.Schema+"."+t.Name); err != nil {
		return err
	}
	body, err := s.tableBody(t, false)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE " + object + " (" + nl + body + nl + ")")
	memOpt := t.MemoryOptimized && tgt >= version.SQL2014
	if t.MemoryOptimized && !memOpt {
		s.note(object, "memory-optimized table", "scripted as a disk-based table: %s has no In-Memory OLTP", tgt)
	}
	if !memOpt {
		if t.Filegroup != "" {
			b.WriteString(" ON " + q(t.Filegroup))
		}
		if t.TextImageFilegroup != "" && hasLOB(t) {
			b.WriteString(" TEXTIMAGE_ON " + q(t.TextImageFilegroup))
		}
		if t.FilestreamFilegroup != "" {
			b.WriteString(" FILESTREAM_ON " + q(t.FilestreamFilegroup))
		}
	}
	var with []string
	if memOpt {
		with = append(with, "MEMORY_OPTIMIZED = ON")
		if t.Durability != "" {
			with = append(with, "DURABILITY = "+t.Durability)
		}
	}
	if t.DataCompression != "" && !memOpt {
		with = append(with, "DATA_COMPRESSION = "+t.DataCompression)
	}
	if len(with) > 0 {
		b.WriteString(nl + "WITH (" + strings.Join(with, ", ") + ")")
	}
	b.WriteString(";")
	if t.LockEscalation != "" && t.LockEscalation != "TABLE" {
		b.WriteString(nl + "ALTER TABLE " + object + " SET (LOCK_ESCALATION = " + t.LockEscalation + ");")
	}
	for _, ix := range t.Indexes {
		if ix.Kind == "CLUSTERED" {
			b.WriteString(nl + s.indexSQL(object, ix) + ";")
		}
	}
	if t.Temporal != nil && tgt < version.SQL2016 {
		s.note(object, "temporal table", "scripted without SYSTEM_VERSIONING: %s has no temporal tables; %s stays a plain table", tgt, qn(t.Temporal.HistorySchema, t.Temporal.HistoryTable))
	}
	if err := s.batch(object, b.String()); err != nil {
		return err
	}
	s.done("TABLE")
	return s.errw
}

func hasLOB(t *catalog.Table) bool {
	for _, c := range t.Columns {
		switch c.Type.Base() {
		case "text", "ntext", "image", "xml", "geography", "geometry":
			return true
		}
		if c.Type.MaxLength < 0 && !c.FileStream && c.Computed == nil {
			return true
		}
	}
	return false
}

// indexSQL renders CREATE INDEX for ix on object.
func (s *scripter) indexSQL(object string, ix catalog.Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	switch ix.Kind {
	case "XML":
		b.WriteString("PRIMARY XML INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(names(ix.Columns)) + ")")
		return b.String()
	case "SPATIAL":
		b.WriteString("SPATIAL INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(names(ix.Columns)) + ")")
		return b.String()
	case "CLUSTERED COLUMNSTORE":
		b.WriteString("CLUSTERED COLUMNSTORE INDEX " + q(ix.Name) + " ON " + object)
	case "NONCLUSTERED COLUMNSTORE":
		b.WriteString("NONCLUSTERED COLUMNSTORE INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(append(names(ix.Columns), ix.Included...)) + ")")
	default:
		b.WriteString(ix.Kind + " INDEX " + q(ix.Name) + " ON " + object + " (" + indexColumns(ix.Columns) + ")")
		if len(ix.Included) > 0 {
			b.WriteString(" INCLUDE (" + quoteAll(ix.Included) + ")")
		}
	}
	if ix.Filter != "" {
		b.WriteString(" WHERE " + ix.Filter)
	}
	b.WriteString(s.indexWith(ix.Options, object+"."+q(ix.Name)))
	if ix.Filegroup != "" {
		b.WriteString(" ON " + q(ix.Filegroup))
	}
	return b.String()
}

func names(cols []catalog.IndexColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// afterData scripts what is created once the rows are in: nonclustered keys
// and indexes, foreign keys, checks and system versioning.
func (s *scripter) afterData(t *catalog.Table) error {
	object := qn(t.Schema, t.Name)
	var stmts []string
	if k := t.PrimaryKey; k != nil && !k.Clustered && !keysInline(t) {
		stmts = append(stmts, "ALTER TABLE "+object+" ADD "+s.keySQL("PRIMARY KEY", *k, false, object)+";")
	}
	for _, k := range t.Uniques {
		if !k.Clustered && !keysInline(t) {
			stmts = append(stmts, "ALTER TABLE "+object+" ADD "+s.keySQL("UNIQUE", k, false, object)+";")
		}
	}
	for _, ix := range t.Indexes {
		if ix.Kind == "CLUSTERED" {
			continue
		}
		if t.MemoryOptimized || strings.Contains(ix.Kind, "HASH") {
			s.note(object+"."+q(ix.Name), "memory-optimized index", "left out: indexes of memory-optimized tables are not scripted; add it by hand")
			continue
		}
		if strings.Contains(ix.Kind, "COLUMNSTORE") && s.opts.Target < version.SQL2012 {
			s.note(object+"."+q(ix.Name), "columnstore index", "left out: %s has no columnstore indexes", s.opts.Target)
			continue
		}
		if ix.Kind == "CLUSTERED COLUMNSTORE" && s.opts.Target < version.SQL2014 {
			s.note(object+"."+q(ix.Name), "clustered columnstore index", "left out: needs SQL Server 2014")
			continue
		}
		stmts = append(stmts, s.indexSQL(object, ix)+";")
		if ix.Disabled {
			stmts = append(stmts, "ALTER INDEX "+q(ix.Name)+" ON "+object+" DISABLE;")
		}
	}
	for _, fk := range t.ForeignKeys {
		if s.snap.Table(fk.RefSchema, fk.RefTable) != nil && !s.selected(fk.RefSchema, fk.RefTable) {
			s.note(object+"."+q(fk.Name), "foreign key", "left out: it references %s, which is excluded", qn(fk.RefSchema, fk.RefTable))
			continue
		}
		check := "WITH CHECK"
		if fk.NotTrusted || fk.Disabled {
			check = "WITH NOCHECK"
		}
		st := "ALTER TABLE " + object + " " + check + " ADD CONSTRAINT " + q(fk.Name) + " FOREIGN KEY (" + quoteAll(fk.Columns) + ")" +
			" REFERENCES " + qn(fk.RefSchema, fk.RefTable) + " (" + quoteAll(fk.RefColumns) + ")"
		if fk.OnDelete != "" {
			st += " ON DELETE " + fk.OnDelete
		}
		if fk.OnUpdate != "" {
			st += " ON UPDATE " + fk.OnUpdate
		}
		if fk.NotForReplication {
			st += " NOT FOR REPLICATION"
		}
		stmts = append(stmts, st+";")
		if fk.Disabled {
			stmts = append(stmts, "ALTER TABLE "+object+" NOCHECK CONSTRAINT "+q(fk.Name)+";")
		}
	}
	for _, c := range t.Checks {
		check := "WITH CHECK"
		if c.NotTrusted || c.Disabled {
			check = "WITH NOCHECK"
		}
		st := "ALTER TABLE " + object + " " + check + " ADD CONSTRAINT " + q(c.Name) + " CHECK"
		if c.NotForReplication {
			st += " NOT FOR REPLICATION"
		}
		stmts = append(stmts, st+" "+c.Definition+";")
		if c.Disabled {
			stmts = append(stmts, "ALTER TABLE "+object+" NOCHECK CONSTRAINT "+q(c.Name)+";")
		}
	}
	if tp := t.Temporal; tp != nil && s.opts.Target >= version.SQL2016 {
		stmts = append(stmts, "ALTER TABLE "+object+" ADD PERIOD FOR SYSTEM_TIME ("+q(tp.PeriodStart)+", "+q(tp.PeriodEnd)+");")
		for _, c := range t.Columns {
			if c.Hidden && c.GeneratedAlways != "" {
				stmts = append(stmts, "ALTER TABLE "+object+" ALTER COLUMN "+q(c.Name)+" ADD HIDDEN;")
			}
		}
		stmts = append(stmts, "ALTER TABLE "+object+" SET (SYSTEM_VERSIONING = ON (HISTORY_TABLE = "+qn(tp.HistorySchema, tp.HistoryTable)+", DATA_CONSISTENCY_CHECK = ON));")
	}
	if len(stmts) == 0 {
		return nil
	}
	if err := s.begin("constraints", t.Schema+"."+t.Name); err != nil {
		return err
	}
	return s.batch(object, strings.Join(stmts, nl))
}

// triggers scripts the DML triggers of the scripted tables.
func (s *scripter) triggers(tables []*catalog.Table) error {
	for i := range s.snap.Modules {
		m := &s.snap.Modules[i]
		if m.Kind != catalog.Trigger || !s.moduleSelected(*m) {
			continue
		}
		if err := s.module(m); err != nil {
			return err
		}
		if m.Disabled {
			if err := s.batch(qn(m.Schema, m.Name), "DISABLE TRIGGER "+qn(m.Schema, m.Name)+" ON "+qn(m.ParentSchema, m.ParentTable)+";"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *scripter) modules(ms []*catalog.Module) error {
	for _, m := range ms {
		if err := s.module(m); err != nil {
			return err
		}
		for _, ix := range m.Indexes {
			if err := s.batch(qn(m.Schema, m.Name), s.indexSQL(qn(m.Schema, m.Name), ix)+";"); err != nil {
				return err
			}
		}
	}
	return nil
}

// module scripts one body with the SET options it was created with.
func (s *scripter) module(m *catalog.Module) error {
	name := qn(m.Schema, m.Name)
	if err := s.begin(strings.ToLower(m.Kind), m.Schema+"."+m.Name); err != nil {
		return err
	}
	s.write("SET ANSI_NULLS " + onOff(m.AnsiNulls) + ";" + nl + "SET QUOTED_IDENTIFIER " + onOff(m.QuotedIdentifier) + ";" + nl + "GO" + nl)
	if err := s.batch(name, m.Definition); err != nil {
		return err
	}
	if !m.AnsiNulls || !m.QuotedIdentifier {
		s.write("SET ANSI_NULLS ON;" + nl + "SET QUOTED_IDENTIFIER ON;" + nl + "GO" + nl)
	}
	s.done(m.Kind)
	return s.errw
}

func onOff(b bool) string {
	if b {
		return "ON"
	}
	return "OFF"
}

// properties scripts the extended properties with sp_addextendedproperty.
func (s *scripter) properties() error {
	var b strings.Builder
	n := 0
	for _, p := range s.snap.Properties {
		if p.Level1 != "" && !s.selected(p.Schema, p.Level1) {
			continue
		}
		args := []string{"@name = " + string(mustLit(p.Name)), "@value = " + string(mustLit(p.Value))}
		if p.Schema != "" {
			args = append(args, "@level0type = N'SCHEMA'", "@level0name = "+string(mustLit(p.Schema)))
		}
		if p.Level1 != "" {
			args = append(args, "@level1type = "+string(mustLit(p.Level1Type)), "@level1name = "+string(mustLit(p.Level1)))
		}
		if p.Level2 != "" {
			args = append(args, "@level2type = "+string(mustLit(p.Level2Type)), "@level2name = "+string(mustLit(p.Level2)))
		}
		b.WriteString("EXEC sys.sp_addextendedproperty " + strings.Join(args, ", ") + ";" + nl)
		n++
	}
	if n == 0 {
		return nil
	}
	if err := s.begin("properties", "extended-properties"); err != nil {
		return err
	}
	if err := s.batch("extended properties", strings.TrimSuffix(b.String(), nl)); err != nil {
		return err
	}
	s.rep.Objects["EXTENDED PROPERTY"] += n
	return nil
}

// fileName makes a file name out of an object name for --split-dir.
func fileName(seq int, kind, name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return path.Clean(fmt.Sprintf("%04d-%s-%s.sql", seq, kind, b.String()))
}
