package script

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// createTable scripts CREATE TABLE with the clustered key or index, so the
// data loads into its final clustered order.
func (s *scripter) createTable(t *catalog.Table) error {
	tgt := s.opts.Target
	object := qn(t.Schema, t.Name)
	var b strings.Builder
	b.WriteString("CREATE TABLE " + object + " (" + nl + s.tableBody(t, false) + nl + ")")
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
	if t.Temporal != nil && tgt < version.SQL2016 {
		s.note(object, "temporal table", "scripted without SYSTEM_VERSIONING: %s has no temporal tables; the period columns %s and %s become visible NOT NULL columns with the defaults SYSUTCDATETIME() and the end of time, so INSERTs that leave them out work, but no UPDATE or DELETE is recorded any more; %s stays a plain table",
			tgt, q(t.Temporal.PeriodStart), q(t.Temporal.PeriodEnd), qn(t.Temporal.HistorySchema, t.Temporal.HistoryTable))
	}
	u := unit{file: "table", name: t.Schema + "." + t.Name, count: "TABLE"}
	u.add(object, b.String())
	if t.LockEscalation != "" && t.LockEscalation != "TABLE" {
		u.add(object, "ALTER TABLE "+object+" SET (LOCK_ESCALATION = "+t.LockEscalation+");")
	}
	for _, ix := range t.Indexes {
		if ix.Kind == "CLUSTERED" {
			u.add(object+"."+q(ix.Name), s.indexSQL(object, ix)+";")
		}
	}
	return s.emit(u)
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

// tableBody renders the column list plus the inline keys: the primary key
// and unique constraints when they are clustered (they must exist before the
// data), or all of them for table types, which have no ALTER.
func (s *scripter) tableBody(t *catalog.Table, tableType bool) string {
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
	return strings.Join(lines, ","+nl)
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
	switch {
	case c.Default != nil:
		if c.Default.Name != "" {
			b.WriteString(" CONSTRAINT " + q(c.Default.Name))
		}
		b.WriteString(" DEFAULT " + c.Default.Definition)
	case t.Temporal != nil && c.GeneratedAlways != "" && tgt < version.SQL2016:
		b.WriteString(" DEFAULT " + periodDefault(c))
	}
	return b.String()
}

// periodDefault is the default a period column gets below 2016, where the
// server no longer fills it: the current time for the start, the end of
// time at the column's scale for the end (more digits would round past
// 9999-12-31 and fail).
func periodDefault(c catalog.Column) string {
	if c.GeneratedAlways == "ROW START" {
		return "(sysutcdatetime())"
	}
	end := "9999-12-31 23:59:59"
	if c.Type.Scale > 0 {
		end += "." + strings.Repeat("9", min(c.Type.Scale, 7))
	}
	return "('" + end + "')"
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

func names(cols []catalog.IndexColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// indexWith renders the WITH (...) of a rowstore index or key, leaving out
// what the target does not have.
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
	if o.OptimizeForSequentialKey {
		if s.opts.Target >= version.SQL2019 {
			opts = append(opts, "OPTIMIZE_FOR_SEQUENTIAL_KEY = ON")
		} else {
			s.note(object, "OPTIMIZE_FOR_SEQUENTIAL_KEY", "left out: needs SQL Server 2019")
		}
	}
	return withList(opts)
}

func withList(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return " WITH (" + strings.Join(opts, ", ") + ")"
}

// indexSQL renders CREATE INDEX for ix on object.
func (s *scripter) indexSQL(object string, ix catalog.Index) string {
	name := object + "." + q(ix.Name)
	switch ix.Kind {
	case "XML":
		return s.xmlIndexSQL(object, ix)
	case "SPATIAL":
		return s.spatialIndexSQL(object, ix)
	case "CLUSTERED COLUMNSTORE":
		return "CREATE CLUSTERED COLUMNSTORE INDEX " + q(ix.Name) + " ON " + object + s.columnstoreWith(ix.Options, name) + onFilegroup(ix)
	case "NONCLUSTERED COLUMNSTORE":
		text := "CREATE NONCLUSTERED COLUMNSTORE INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(append(names(ix.Columns), ix.Included...)) + ")"
		if ix.Filter != "" {
			text += " WHERE " + ix.Filter
		}
		return text + s.columnstoreWith(ix.Options, name) + onFilegroup(ix)
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString(ix.Kind + " INDEX " + q(ix.Name) + " ON " + object + " (" + indexColumns(ix.Columns) + ")")
	if len(ix.Included) > 0 {
		b.WriteString(" INCLUDE (" + quoteAll(ix.Included) + ")")
	}
	if ix.Filter != "" {
		b.WriteString(" WHERE " + ix.Filter)
	}
	b.WriteString(s.indexWith(ix.Options, name))
	return b.String() + onFilegroup(ix)
}

func onFilegroup(ix catalog.Index) string {
	if ix.Filegroup == "" {
		return ""
	}
	return " ON " + q(ix.Filegroup)
}

// columnstoreWith renders the options a columnstore index takes: archival
// compression (COLUMNSTORE is the default) and, from 2016, the compression
// delay.
func (s *scripter) columnstoreWith(o catalog.IndexOptions, object string) string {
	var opts []string
	if o.DataCompression == "COLUMNSTORE_ARCHIVE" {
		opts = append(opts, "DATA_COMPRESSION = COLUMNSTORE_ARCHIVE")
	}
	if o.CompressionDelay > 0 {
		if s.opts.Target >= version.SQL2016 {
			opts = append(opts, "COMPRESSION_DELAY = "+strconv.Itoa(o.CompressionDelay))
		} else {
			s.note(object, "COMPRESSION_DELAY", "COMPRESSION_DELAY = %d left out: needs SQL Server 2016", o.CompressionDelay)
		}
	}
	return withList(opts)
}

// xmlIndexSQL renders CREATE PRIMARY XML INDEX, or a secondary XML index
// USING the primary FOR PATH, VALUE or PROPERTY. CREATE XML INDEX takes no
// DATA_COMPRESSION.
func (s *scripter) xmlIndexSQL(object string, ix catalog.Index) string {
	o := ix.Options
	if o.DataCompression != "" {
		s.note(object+"."+q(ix.Name), "XML index compression", "DATA_COMPRESSION = %s left out: CREATE XML INDEX takes none; rebuild the index with it (ALTER INDEX ... REBUILD WITH (DATA_COMPRESSION = %s)) if you need it", o.DataCompression, o.DataCompression)
		o.DataCompression = ""
	}
	o.IgnoreDupKey, o.OptimizeForSequentialKey = false, false
	if ix.XML == nil {
		return "CREATE PRIMARY XML INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(names(ix.Columns)) + ")" + s.indexWith(o, object+"."+q(ix.Name))
	}
	return "CREATE XML INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(names(ix.Columns)) + ")" +
		" USING XML INDEX " + q(ix.XML.Using) + " FOR " + ix.XML.For + s.indexWith(o, object+"."+q(ix.Name))
}

// spatialIndexSQL renders CREATE SPATIAL INDEX with its tessellation: the
// bounding box a geometry grid requires, the grid densities and cells per
// object. The AUTO grids of 2012 become the grids 2008 has, with the
// default densities.
func (s *scripter) spatialIndexSQL(object string, ix catalog.Index) string {
	name := object + "." + q(ix.Name)
	sp := *ix.Spatial
	if strings.HasSuffix(sp.Tessellation, "_AUTO_GRID") && s.opts.Target < version.SQL2012 {
		grid := strings.TrimSuffix(sp.Tessellation, "_AUTO_GRID") + "_GRID"
		s.note(name, "spatial auto grid", "USING %s replaced by %s with the default grids (MEDIUM at all four levels): the 8-level auto grid needs SQL Server 2012", sp.Tessellation, grid)
		sp.Tessellation, sp.Grids = grid, nil
	}
	var opts []string
	if len(sp.BoundingBox) == 4 {
		b := sp.BoundingBox
		opts = append(opts, "BOUNDING_BOX = ("+floatText(b[0])+", "+floatText(b[1])+", "+floatText(b[2])+", "+floatText(b[3])+")")
	}
	if len(sp.Grids) == 4 {
		opts = append(opts, fmt.Sprintf("GRIDS = (LEVEL_1 = %s, LEVEL_2 = %s, LEVEL_3 = %s, LEVEL_4 = %s)", sp.Grids[0], sp.Grids[1], sp.Grids[2], sp.Grids[3]))
	}
	if sp.CellsPerObject > 0 {
		opts = append(opts, "CELLS_PER_OBJECT = "+strconv.Itoa(sp.CellsPerObject))
	}
	o := ix.Options
	o.IgnoreDupKey, o.OptimizeForSequentialKey = false, false
	if with := s.indexWith(o, name); with != "" {
		opts = append(opts, strings.TrimSuffix(strings.TrimPrefix(with, " WITH ("), ")"))
	}
	return "CREATE SPATIAL INDEX " + q(ix.Name) + " ON " + object + " (" + quoteAll(names(ix.Columns)) + ")" +
		" USING " + sp.Tessellation + withList(opts) + onFilegroup(ix)
}

// floatText writes a bounding-box coordinate exactly, as a number T-SQL
// reads.
func floatText(f float64) string {
	return strconv.FormatFloat(f, 'G', -1, 64)
}

// keysAndIndexes scripts, after the data, each table's nonclustered keys
// and indexes, each in a batch of its own. All of them exist before the
// first foreign key is added.
func (s *scripter) keysAndIndexes() error {
	for _, t := range s.tables() {
		object := qn(t.Schema, t.Name)
		u := unit{file: "keys", name: t.Schema + "." + t.Name}
		// A clustered columnstore index first: the others are not rebuilt.
		for _, ix := range t.Indexes {
			if ix.Kind == "CLUSTERED COLUMNSTORE" {
				s.addIndex(&u, t, ix)
			}
		}
		if k := t.PrimaryKey; k != nil && !k.Clustered && !keysInline(t) {
			u.add(object+"."+q(k.Name), "ALTER TABLE "+object+" ADD "+s.keySQL("PRIMARY KEY", *k, false, object)+";")
		}
		for _, k := range t.Uniques {
			if !k.Clustered && !keysInline(t) {
				u.add(object+"."+q(k.Name), "ALTER TABLE "+object+" ADD "+s.keySQL("UNIQUE", k, false, object)+";")
			}
		}
		for _, ix := range t.Indexes {
			if ix.Kind != "CLUSTERED" && ix.Kind != "CLUSTERED COLUMNSTORE" {
				s.addIndex(&u, t, ix)
			}
		}
		if err := s.emit(u); err != nil {
			return err
		}
	}
	return nil
}

// addIndex adds ix to u, or notes why the target does not get it.
func (s *scripter) addIndex(u *unit, t *catalog.Table, ix catalog.Index) {
	object := qn(t.Schema, t.Name)
	name := object + "." + q(ix.Name)
	if t.MemoryOptimized || strings.Contains(ix.Kind, "HASH") {
		s.note(name, "memory-optimized index", "left out: indexes of memory-optimized tables are not scripted; add it by hand")
		return
	}
	if why := s.columnstoreLoss(t, ix); why != "" {
		s.note(name, "columnstore index", "left out: %s", why)
		return
	}
	u.add(name, s.indexSQL(object, ix)+";")
	if ix.Disabled {
		u.add(name, "ALTER INDEX "+q(ix.Name)+" ON "+object+" DISABLE;")
	}
}

// columnstoreLoss says why the target cannot have columnstore index ix of
// t as the source has it, or "" when it can. Such an index is left out (the
// table keeps its rows, keys and other indexes; queries that used the index
// get slower), never created in a form that would change what the table
// accepts:
//   - 2008 and 2008 R2 have no columnstore indexes; 2012 no clustered one.
//   - On 2012 and 2014 a nonclustered columnstore index makes its table
//     read-only, so the application could no longer write to it (a filtered
//     one, which only 2016 accepts, would fail besides).
//   - On 2014 a clustered columnstore index must be the table's only index,
//     with no primary key, unique or foreign key, and no computed column.
//   - Before 2017 it cannot hold varchar(max), nvarchar(max) or
//     varbinary(max) columns, nor (before 2017) computed columns.
func (s *scripter) columnstoreLoss(t *catalog.Table, ix catalog.Index) string {
	tgt := s.opts.Target
	switch ix.Kind {
	case "NONCLUSTERED COLUMNSTORE":
		switch {
		case tgt < version.SQL2012:
			return fmt.Sprintf("%s has no columnstore indexes", tgt)
		case tgt < version.SQL2016:
			return fmt.Sprintf("on %s a nonclustered columnstore index makes its table read-only, so rows could no longer be inserted, updated or deleted; updatable ones need SQL Server 2016", tgt)
		}
	case "CLUSTERED COLUMNSTORE":
		switch {
		case tgt < version.SQL2014:
			return fmt.Sprintf("%s has no clustered columnstore indexes (they need SQL Server 2014); the table stays a heap", tgt)
		case tgt < version.SQL2016 && (t.PrimaryKey != nil || len(t.Uniques) > 0 || len(t.ForeignKeys) > 0 || len(t.Indexes) > 1 || s.referenced(t)):
			return fmt.Sprintf("on %s a clustered columnstore index must be the table's only index, without primary key, unique or foreign keys (2016 allows them); the keys and indexes are kept and the table stays a heap", tgt)
		}
		if tgt < version.SQL2017 {
			for _, c := range t.Columns {
				if c.Computed != nil {
					return fmt.Sprintf("on %s a clustered columnstore index cannot cover the computed column %s (2017 allows it); the table stays a heap", tgt, q(c.Name))
				}
				if c.Type.MaxLength < 0 {
					return fmt.Sprintf("on %s a clustered columnstore index cannot hold the %s column %s (2017 allows it); the table stays a heap", tgt, c.Type.SQL(), q(c.Name))
				}
			}
		}
	}
	return ""
}

// referenced reports whether a foreign key of a scripted table references t.
func (s *scripter) referenced(t *catalog.Table) bool {
	for _, o := range s.tables() {
		for _, fk := range o.ForeignKeys {
			if strings.EqualFold(fk.RefSchema, t.Schema) && strings.EqualFold(fk.RefTable, t.Name) {
				return true
			}
		}
	}
	return false
}

// foreignKeys scripts every table's foreign keys, once every key they can
// reference exists.
func (s *scripter) foreignKeys() error {
	for _, t := range s.tables() {
		object := qn(t.Schema, t.Name)
		u := unit{file: "foreign-keys", name: t.Schema + "." + t.Name}
		for _, fk := range t.ForeignKeys {
			if s.snap.Table(fk.RefSchema, fk.RefTable) != nil && !s.selected(fk.RefSchema, fk.RefTable) {
				s.note(object+"."+q(fk.Name), "foreign key", "left out: it references %s, which is excluded", qn(fk.RefSchema, fk.RefTable))
				continue
			}
			body := "FOREIGN KEY (" + quoteAll(fk.Columns) + ") REFERENCES " + qn(fk.RefSchema, fk.RefTable) + " (" + quoteAll(fk.RefColumns) + ")"
			if fk.OnDelete != "" {
				body += " ON DELETE " + fk.OnDelete
			}
			if fk.OnUpdate != "" {
				body += " ON UPDATE " + fk.OnUpdate
			}
			if fk.NotForReplication {
				body += " NOT FOR REPLICATION"
			}
			addConstraint(&u, object, fk.Name, body, fk.NotTrusted, fk.Disabled)
		}
		if err := s.emit(u); err != nil {
			return err
		}
	}
	return nil
}

// addConstraint adds ALTER TABLE object ADD CONSTRAINT name body to u: WITH
// NOCHECK for a constraint the source does not trust (or has disabled), so
// the copied rows are not checked against it either, and NOCHECK
// CONSTRAINT after it for a disabled one.
func addConstraint(u *unit, object, name, body string, notTrusted, disabled bool) {
	check := "WITH CHECK"
	if notTrusted || disabled {
		check = "WITH NOCHECK"
	}
	u.add(object+"."+q(name), "ALTER TABLE "+object+" "+check+" ADD CONSTRAINT "+q(name)+" "+body+";")
	if disabled {
		u.add(object+"."+q(name), "ALTER TABLE "+object+" NOCHECK CONSTRAINT "+q(name)+";")
	}
}

// checksAndVersioning scripts every table's CHECK constraints and, on 2016
// and later, system versioning (after the data, so the period columns keep
// their values).
func (s *scripter) checksAndVersioning() error {
	for _, t := range s.tables() {
		object := qn(t.Schema, t.Name)
		u := unit{file: "checks", name: t.Schema + "." + t.Name}
		for _, c := range t.Checks {
			body := "CHECK "
			if c.NotForReplication {
				body += "NOT FOR REPLICATION "
			}
			addConstraint(&u, object, c.Name, body+c.Definition, c.NotTrusted, c.Disabled)
		}
		if tp := t.Temporal; tp != nil && s.opts.Target >= version.SQL2016 {
			u.add(object, "ALTER TABLE "+object+" ADD PERIOD FOR SYSTEM_TIME ("+q(tp.PeriodStart)+", "+q(tp.PeriodEnd)+");")
			for _, c := range t.Columns {
				if c.Hidden && c.GeneratedAlways != "" {
					u.add(object, "ALTER TABLE "+object+" ALTER COLUMN "+q(c.Name)+" ADD HIDDEN;")
				}
			}
			u.add(object, "ALTER TABLE "+object+" SET (SYSTEM_VERSIONING = ON (HISTORY_TABLE = "+qn(tp.HistorySchema, tp.HistoryTable)+", DATA_CONSISTENCY_CHECK = ON));")
		}
		if err := s.emit(u); err != nil {
			return err
		}
	}
	return nil
}
