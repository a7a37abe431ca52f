package script

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

// module scripts a view, function, procedure or trigger: its body under the
// SET options it was created with, an indexed view's indexes, a disabled
// trigger's DISABLE. A body the target refuses is kept (it fails there) and
// its refusal names what depends on it.
func (s *scripter) module(n *node) error {
	m := n.module
	u := unit{file: strings.ToLower(m.Kind), name: m.Schema + "." + m.Name, count: m.Kind}
	u.stmts = append(u.stmts, stmt{raw: true, sql: "SET ANSI_NULLS " + onOff(m.AnsiNulls) + ";" + nl + "SET QUOTED_IDENTIFIER " + onOff(m.QuotedIdentifier) + ";"})
	u.add(n.name, m.Definition)
	if !m.AnsiNulls || !m.QuotedIdentifier {
		u.stmts = append(u.stmts, stmt{raw: true, sql: "SET ANSI_NULLS ON;" + nl + "SET QUOTED_IDENTIFIER ON;"})
	}
	for _, ix := range m.Indexes {
		u.add(n.name+"."+q(ix.Name), s.indexSQL(n.name, ix)+";")
	}
	if m.Kind == catalog.Trigger && m.Disabled {
		u.add(n.name, "DISABLE TRIGGER "+n.name+" ON "+qn(m.ParentSchema, m.ParentTable)+";")
	}
	before := len(s.rep.Notes)
	err := s.emit(u)
	for i := before; i < len(s.rep.Notes); i++ {
		if note := &s.rep.Notes[i]; note.Refused() && note.Object == n.name {
			note.Affects = s.graph.affected(n)
		}
	}
	return err
}

func onOff(b bool) string {
	if b {
		return "ON"
	}
	return "OFF"
}

// properties scripts the extended properties with sp_addextendedproperty,
// one batch each.
func (s *scripter) properties() error {
	u := unit{file: "properties", name: "extended-properties"}
	for _, p := range s.snap.Properties {
		if p.Level1 != "" && !s.selected(p.Schema, p.Level1) {
			continue
		}
		args := []string{"@name = " + string(mustLit(p.Name)), "@value = " + string(mustLit(p.Value))}
		object := "database"
		if p.Schema != "" {
			args = append(args, "@level0type = N'SCHEMA'", "@level0name = "+string(mustLit(p.Schema)))
			object = q(p.Schema)
		}
		if p.Level1 != "" {
			args = append(args, "@level1type = "+string(mustLit(p.Level1Type)), "@level1name = "+string(mustLit(p.Level1)))
			object = qn(p.Schema, p.Level1)
		}
		if p.Level2 != "" {
			args = append(args, "@level2type = "+string(mustLit(p.Level2Type)), "@level2name = "+string(mustLit(p.Level2)))
			object += "." + q(p.Level2)
		}
		u.add(object, "EXEC sys.sp_addextendedproperty "+strings.Join(args, ", ")+";")
	}
	if len(u.stmts) > 0 {
		s.rep.Objects["EXTENDED PROPERTY"] += len(u.stmts)
	}
	return s.emit(u)
}
