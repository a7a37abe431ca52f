package catalog

import (
	"strconv"
	"strings"
)

// QuoteName brackets an identifier the way QUOTENAME does: [name] with every
// ] doubled. It never fails: any string becomes a valid delimited identifier.
func QuoteName(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}

// QualifiedName is [schema].[name], or [name] without a schema.
func QualifiedName(schema, name string) string {
	if schema == "" {
		return QuoteName(name)
	}
	return QuoteName(schema) + "." + QuoteName(name)
}

// Base returns the lower-case system type name ("nvarchar"); user-defined
// types return their own name.
func (t Type) Base() string { return strings.ToLower(t.Name) }

// IsUserDefined reports whether t is an alias, table or CLR type (it has a
// schema other than sys).
func (t Type) IsUserDefined() bool {
	return t.Schema != "" && !strings.EqualFold(t.Schema, "sys")
}

// SQL renders the type as a column definition spells it: nvarchar(50),
// varbinary(max), decimal(18,4), datetime2(7), [dbo].[Phone], xml(CONTENT [dbo].[S]).
func (t Type) SQL() string {
	if t.IsUserDefined() {
		return QualifiedName(t.Schema, t.Name)
	}
	name := t.Base()
	switch name {
	case "varchar", "char", "varbinary", "binary":
		return name + "(" + lengthText(t.MaxLength, 1) + ")"
	case "nvarchar", "nchar":
		return name + "(" + lengthText(t.MaxLength, 2) + ")"
	case "decimal", "numeric":
		return name + "(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case "datetime2", "time", "datetimeoffset":
		return name + "(" + strconv.Itoa(t.Scale) + ")"
	case "float":
		if t.Precision != 0 && t.Precision != 53 {
			return name + "(" + strconv.Itoa(t.Precision) + ")"
		}
		return name
	case "xml":
		if t.XMLSchema != "" {
			kw := "CONTENT "
			if t.XMLDoc {
				kw = "DOCUMENT "
			}
			s, n, _ := strings.Cut(t.XMLSchema, ".")
			return name + "(" + kw + QualifiedName(s, n) + ")"
		}
		return name
	case "rowversion":
		return "timestamp" // rowversion is a synonym every version accepts as timestamp
	}
	return name
}

func lengthText(bytes, unit int) string {
	if bytes < 0 {
		return "max"
	}
	if bytes == 0 {
		return "1"
	}
	return strconv.Itoa(bytes / unit)
}
