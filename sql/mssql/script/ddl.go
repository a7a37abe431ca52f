package script

import (
	"fmt"
	"math/big"
	"path"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/downgrade"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

var q, qn = catalog.QuoteName, catalog.QualifiedName

// schemaObjects scripts principals, schemas, types and sequences.
func (s *scripter) schemaObjects() error {
	if s.opts.Principals {
		if err := s.principals(); err != nil {
			return err
		}
	}
	for _, sc := range s.snap.Schemas {
		if err := s.emit(unit{file: "schema", name: sc.Name, count: "SCHEMA", stmts: []stmt{{object: q(sc.Name), sql: s.schemaSQL(sc)}}}); err != nil {
			return err
		}
	}
	for _, u := range s.snap.Types {
		name := qn(u.Schema, u.Name)
		if err := s.emit(unit{file: "type", name: u.Schema + "." + u.Name, count: "TYPE", stmts: []stmt{{object: name, sql: s.typeSQL(u)}}}); err != nil {
			return err
		}
	}
	for _, sq := range s.snap.Sequences {
		if !s.selected(sq.Schema, sq.Name) {
			continue
		}
		name := qn(sq.Schema, sq.Name)
		if s.opts.Target < version.SQL2012 {
			s.omitSequence(s.graph.lookup(sq.Schema, sq.Name), name)
			continue
		}
		if err := s.emit(unit{file: "sequence", name: sq.Schema + "." + sq.Name, count: "SEQUENCE", stmts: []stmt{{object: name, sql: sequenceSQL(sq)}}}); err != nil {
			return err
		}
	}
	return s.errw
}

// omitSequence notes a sequence left out before 2012. A table uses a
// sequence only in a column default, which the version rules of package
// downgrade leave out of the table (with a note naming the column and the
// sequence, as xdm sql downgrade reports it), so the table and its data
// load: only the modules calling NEXT VALUE FOR fail with the sequence.
func (s *scripter) omitSequence(n *node, object string) {
	note := Note{Object: object, Rule: "sequence", Action: downgrade.Omit.String(),
		Message: "left out: sequences need SQL Server 2012; a column default NEXT VALUE FOR it is left out of its table (see the table's note), other uses are refused"}
	if n != nil {
		note.Affects = s.graph.affectedExcept(n, tableNode)
	}
	s.rep.Notes = append(s.rep.Notes, note)
}

// principals scripts the database users, roles and role memberships.
func (s *scripter) principals() error {
	for _, p := range s.snap.Principals {
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
		if err := s.emit(unit{file: "user", name: p.Name, count: "PRINCIPAL", stmts: []stmt{{object: q(p.Name), sql: text}}}); err != nil {
			return err
		}
	}
	u := unit{file: "role-members", name: "role-members"}
	for _, m := range s.snap.RoleMembers {
		if s.opts.Target >= version.SQL2012 {
			u.add(q(m.Role), "ALTER ROLE "+q(m.Role)+" ADD MEMBER "+q(m.Member)+";")
		} else {
			u.add(q(m.Role), "EXEC sys.sp_addrolemember "+string(mustLit(m.Role))+", "+string(mustLit(m.Member))+";")
		}
	}
	return s.emit(u)
}

// schemaSQL is CREATE SCHEMA. The owner is scripted when it is dbo or the
// principals are scripted too; else the schema is owned by dbo, and the
// report says whose it was.
func (s *scripter) schemaSQL(sc catalog.Schema) string {
	text := "CREATE SCHEMA " + q(sc.Name)
	switch {
	case sc.Owner == "":
	case strings.EqualFold(sc.Owner, "dbo") || s.opts.Principals:
		text += " AUTHORIZATION " + q(sc.Owner)
	default:
		s.note(q(sc.Name), "schema owner", "AUTHORIZATION %s left out: database users are not scripted, so the schema is owned by dbo; its objects' permissions that came from the owner are lost", q(sc.Owner))
	}
	return text + ";"
}

// typeSQL is CREATE TYPE for an alias or table type.
func (s *scripter) typeSQL(u catalog.UserType) string {
	name := qn(u.Schema, u.Name)
	if u.Table != nil {
		return "CREATE TYPE " + name + " AS TABLE (" + nl + s.tableBody(u.Table, true) + nl + ");"
	}
	null := " NULL"
	if !u.Nullable {
		null = " NOT NULL"
	}
	return "CREATE TYPE " + name + " FROM " + u.Base.SQL() + null + ";"
}

// synonym scripts CREATE SYNONYM.
func (s *scripter) synonym(sy *catalog.Synonym) error {
	name := qn(sy.Schema, sy.Name)
	parts, err := splitMultipart(sy.Target)
	if err != nil {
		return fmt.Errorf("synonym %s: %w", name, err)
	}
	for i := range parts {
		parts[i] = q(parts[i])
	}
	return s.emit(unit{file: "synonym", name: sy.Schema + "." + sy.Name, count: "SYNONYM",
		stmts: []stmt{{object: name, sql: "CREATE SYNONYM " + name + " FOR " + strings.Join(parts, ".") + ";"}}})
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

// mustLit is the plain N'...' literal of v for DDL. DDL cannot take
// concatenations (procedure arguments, DIRECTORY_NAME), so a DDL batch whose
// literals hold "$(" or a command line runs as dynamic SQL (see batch).
func mustLit(v string) []byte {
	return appendQuoted(nil, v, true)
}

// fileName makes a file name out of an object name for ScriptDir.
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
