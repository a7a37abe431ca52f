package script

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/collation"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// ErrUnsafeFileName is the cause of Script's error when CreateDatabase is
// set and a database file's name or folder holds "$(" or a line break,
// which sqlcmd would alter in CREATE DATABASE (file names cannot be split
// like the literals of data).
var ErrUnsafeFileName = errors.New(`a database file name or folder holds "$(" or a line break, which sqlcmd would alter`)

// createDatabase scripts CREATE DATABASE with its file groups and files,
// then the database's settings and USE. File paths become
// $(DataPath)/$(LogPath) relative names set by :setvar, defaulting to the
// source's folders, so the script can be pointed elsewhere.
func (s *scripter) createDatabase() error {
	db := s.snap.Database
	name := s.dbName()
	if err := s.begin("database", name); err != nil {
		return err
	}
	dataDir, logDir := "", ""
	for _, fg := range db.Filegroups {
		if fg.Type == "ROWS" && len(fg.Files) > 0 && dataDir == "" {
			dataDir = winDir(fg.Files[0].PhysicalName)
		}
	}
	if len(db.LogFiles) > 0 {
		logDir = winDir(db.LogFiles[0].PhysicalName)
	}
	if needsGuard(dataDir) || needsGuard(logDir) {
		return ErrUnsafeFileName
	}
	s.write(":setvar DataPath " + sqlcmdValue(dataDir) + nl + ":setvar LogPath " + sqlcmdValue(logDir) + nl)
	s.write("USE [master];" + nl + "GO" + nl)
	text := s.createDatabaseSQL(name, dataDir, logDir)
	// This batch uses $(DataPath) and $(LogPath) on purpose, so it is not
	// guarded; any other "$(" would be substituted by sqlcmd.
	rest := strings.NewReplacer("$(DataPath)", "", "$(LogPath)", "").Replace(text)
	if needsGuard(rest) {
		return ErrUnsafeFileName
	}
	s.write(text + nl + "GO" + nl)
	for _, st := range s.databaseSettings(name) {
		if err := s.batch("database", st); err != nil {
			return err
		}
	}
	s.write("USE " + q(name) + ";" + nl + "GO" + nl)
	s.done("DATABASE")
	return s.errw
}

// createDatabaseSQL is the CREATE DATABASE statement: PRIMARY first, as
// the statement requires; a memory-optimized file group only where the
// target has In-Memory OLTP.
func (s *scripter) createDatabaseSQL(name, dataDir, logDir string) string {
	db := s.snap.Database
	var b strings.Builder
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
	fgs := append([]catalog.Filegroup{}, db.Filegroups...)
	for i := range fgs {
		if strings.EqualFold(fgs[i].Name, "PRIMARY") && i > 0 {
			fgs[0], fgs[i] = fgs[i], fgs[0]
		}
	}
	for _, fg := range fgs {
		switch fg.Type {
		case "MEMORY_OPTIMIZED_DATA":
			if s.opts.Target < version.SQL2014 {
				s.note("database", "memory-optimized filegroup", "file group %s left out: %s has no memory-optimized tables", q(fg.Name), s.opts.Target)
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
		b.WriteString(nl + "COLLATE " + s.collation("database", db.Collation))
	}
	b.WriteString(";")
	return b.String()
}

// databaseSettings are the ALTER DATABASE statements after CREATE
// DATABASE: compatibility level (clamped to the target), recovery model,
// snapshot isolation, FILESTREAM directory and scoped configurations.
func (s *scripter) databaseSettings(name string) []string {
	db, tgt := s.snap.Database, s.opts.Target
	alter := "ALTER DATABASE " + q(name) + " SET "
	level := db.CompatibilityLevel
	if maxLevel := tgt.MaxCompatibilityLevel(); level == 0 || level > maxLevel {
		if level > maxLevel {
			s.note("database", "compatibility level", "COMPATIBILITY_LEVEL %d lowered to %d, the highest %s accepts", level, maxLevel, tgt)
		}
		level = maxLevel
	}
	out := []string{alter + "COMPATIBILITY_LEVEL = " + strconv.Itoa(level) + ";"}
	if db.RecoveryModel != "" {
		out = append(out, alter+"RECOVERY "+strings.ReplaceAll(db.RecoveryModel, " ", "_")+";")
	}
	if db.ReadCommittedSnapshot {
		out = append(out, alter+"READ_COMMITTED_SNAPSHOT ON;")
	}
	if db.SnapshotIsolation {
		out = append(out, alter+"ALLOW_SNAPSHOT_ISOLATION ON;")
	}
	if db.FilestreamDirectory != "" {
		if tgt >= version.SQL2012 {
			out = append(out, alter+"FILESTREAM (DIRECTORY_NAME = "+string(mustLit(db.FilestreamDirectory))+");")
		} else {
			s.note("database", "filestream directory", "FILESTREAM DIRECTORY_NAME left out: %s has no FileTables", tgt)
		}
	}
	for _, sc := range db.ScopedConfigurations {
		out = append(out, s.scopedConfiguration(sc)...)
	}
	return out
}

// scopedOption is a database scoped configuration xdm knows: the release
// that introduced it, how its value is written, and what an older server
// offers instead (for the options of 2016 and 2017).
type scopedOption struct {
	since version.Version
	kind  valueKind
	older func(target version.Version) string
}

type valueKind int

const (
	onOffValue  valueKind = iota // 0/1 in the catalog, OFF/ON in the statement
	numberValue                  // MAXDOP = 4
	wordValue                    // ELEVATE_ONLINE = WHEN_SUPPORTED
)

// hint is an older server's equivalent that does not depend on the target.
func hint(text string) func(version.Version) string {
	return func(version.Version) string { return text }
}

// scopedOptions are the configurations of ALTER DATABASE SCOPED
// CONFIGURATION in SQL Server 2016 to 2022, from its documentation.
var scopedOptions = map[string]scopedOption{
	"MAXDOP": {version.SQL2016, numberValue, hint("set the server's 'max degree of parallelism' (sp_configure) or MAXDOP query hints")},
	"LEGACY_CARDINALITY_ESTIMATION": {version.SQL2016, onOffValue, func(v version.Version) string {
		if v < version.SQL2014 {
			return "nothing is lost: its only cardinality estimator is the legacy one"
		}
		return "COMPATIBILITY_LEVEL 110 or trace flag 9481 selects the legacy estimator"
	}},
	"PARAMETER_SNIFFING":       {version.SQL2016, onOffValue, hint("trace flag 4136 or OPTIMIZE FOR UNKNOWN hints turn parameter sniffing off")},
	"QUERY_OPTIMIZER_HOTFIXES": {version.SQL2016, onOffValue, hint("trace flag 4199 turns the optimizer hotfixes on")},
	"IDENTITY_CACHE": {version.SQL2017, onOffValue, func(v version.Version) string {
		if v < version.SQL2012 {
			return "nothing is lost: it caches no identity values"
		}
		return "trace flag 272 turns the identity cache off for the whole server"
	}},
	"INTERLEAVED_EXECUTION_TVF":                     {since: version.SQL2017, kind: onOffValue},
	"BATCH_MODE_MEMORY_GRANT_FEEDBACK":              {since: version.SQL2017, kind: onOffValue},
	"BATCH_MODE_ADAPTIVE_JOINS":                     {since: version.SQL2017, kind: onOffValue},
	"OPTIMIZE_FOR_AD_HOC_WORKLOADS":                 {version.SQL2019, onOffValue, hint("the server option 'optimize for ad hoc workloads' (sp_configure) does the same for all databases")},
	"XTP_PROCEDURE_EXECUTION_STATISTICS":            {since: version.SQL2019, kind: onOffValue},
	"XTP_QUERY_EXECUTION_STATISTICS":                {since: version.SQL2019, kind: onOffValue},
	"ROW_MODE_MEMORY_GRANT_FEEDBACK":                {since: version.SQL2019, kind: onOffValue},
	"BATCH_MODE_ON_ROWSTORE":                        {since: version.SQL2019, kind: onOffValue},
	"DEFERRED_COMPILATION_TV":                       {since: version.SQL2019, kind: onOffValue},
	"TSQL_SCALAR_UDF_INLINING":                      {since: version.SQL2019, kind: onOffValue},
	"ELEVATE_ONLINE":                                {since: version.SQL2019, kind: wordValue},
	"ELEVATE_RESUMABLE":                             {since: version.SQL2019, kind: wordValue},
	"ISOLATE_SECURITY_POLICY_CARDINALITY":           {since: version.SQL2019, kind: onOffValue},
	"LIGHTWEIGHT_QUERY_PROFILING":                   {since: version.SQL2019, kind: onOffValue},
	"LAST_QUERY_PLAN_STATS":                         {since: version.SQL2019, kind: onOffValue},
	"VERBOSE_TRUNCATION_WARNINGS":                   {since: version.SQL2019, kind: onOffValue},
	"ACCELERATED_PLAN_FORCING":                      {since: version.SQL2019, kind: onOffValue},
	"GLOBAL_TEMPORARY_TABLE_AUTO_DROP":              {since: version.SQL2019, kind: onOffValue},
	"PARAMETER_SENSITIVE_PLAN_OPTIMIZATION":         {since: version.SQL2022, kind: onOffValue},
	"DOP_FEEDBACK":                                  {since: version.SQL2022, kind: onOffValue},
	"CE_FEEDBACK":                                   {since: version.SQL2022, kind: onOffValue},
	"MEMORY_GRANT_FEEDBACK_PERCENTILE_GRANT":        {since: version.SQL2022, kind: onOffValue},
	"MEMORY_GRANT_FEEDBACK_PERSISTENCE":             {since: version.SQL2022, kind: onOffValue},
	"OPTIMIZED_PLAN_FORCING":                        {since: version.SQL2022, kind: onOffValue},
	"EXEC_QUERY_STATS_FOR_SCALAR_FUNCTIONS":         {since: version.SQL2022, kind: onOffValue},
	"ASYNC_STATS_UPDATE_WAIT_AT_LOW_PRIORITY":       {since: version.SQL2022, kind: onOffValue},
	"PAUSED_RESUMABLE_INDEX_ABORT_DURATION_MINUTES": {since: version.SQL2022, kind: numberValue},
}

var reWordValue = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// scopedConfiguration writes one scoped configuration, or notes it as lost
// on a target that lacks it.
func (s *scripter) scopedConfiguration(sc catalog.ScopedConfiguration) []string {
	opt, known := scopedOptions[strings.ToUpper(sc.Name)]
	lost := func(why string) []string {
		msg := fmt.Sprintf("%s = %s left out: %s", sc.Name, sc.Value, why)
		if opt.older != nil {
			msg += "; on " + s.opts.Target.String() + " " + opt.older(s.opts.Target)
		}
		s.note("database", "scoped configuration "+sc.Name, "%s", msg)
		return nil
	}
	switch {
	case !known:
		return lost("xdm does not know this database scoped configuration; set it by hand")
	case s.opts.Target < opt.since:
		return lost(fmt.Sprintf("it needs %s", opt.since))
	}
	value, ok := scopedValue(opt.kind, sc.Value)
	if !ok {
		return lost(fmt.Sprintf("the value %q is not a %s", sc.Value, []string{"0 or 1", "number", "word"}[opt.kind]))
	}
	out := []string{"ALTER DATABASE SCOPED CONFIGURATION SET " + strings.ToUpper(sc.Name) + " = " + value + ";"}
	if sc.ValueForSecondary != "" {
		if v, ok := scopedValue(opt.kind, sc.ValueForSecondary); ok {
			out = append(out, "ALTER DATABASE SCOPED CONFIGURATION FOR SECONDARY SET "+strings.ToUpper(sc.Name)+" = "+v+";")
		}
	}
	return out
}

// scopedValue writes a catalog value as the statement takes it.
func scopedValue(kind valueKind, v string) (string, bool) {
	switch kind {
	case onOffValue:
		switch strings.ToUpper(v) {
		case "1", "ON":
			return "ON", true
		case "0", "OFF":
			return "OFF", true
		}
	case numberValue:
		if _, err := strconv.Atoi(v); err == nil {
			return v, true
		}
	case wordValue:
		if reWordValue.MatchString(v) {
			return strings.ToUpper(v), true
		}
	}
	return "", false
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

// collation returns name usable on the target, by the mapping that xdm sql
// downgrade uses too (package sql/collation).
func (s *scripter) collation(object, name string) string {
	m := collation.For(name, s.opts.Target)
	if !m.Changed() {
		return name
	}
	msg := "collation %s replaced by %s: the target lacks %s"
	switch {
	case m.UTF8 && m.CodePage > 0:
		msg += fmt.Sprintf("; char and varchar data keep only the characters of code page %d", m.CodePage)
	case m.UTF8 && m.CodePage == 0:
		msg += "; it is Unicode-only: char and varchar cannot use it"
	case m.UTF8:
		msg += "; char and varchar data keep only the characters of its code page"
	}
	s.note(object, "collation", msg, name, m.To, strings.Join(m.Lost, ", "))
	return m.To
}
