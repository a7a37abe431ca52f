package grammar

// The T-SQL lexer used by xdm's version rules (sql/tsql). Regenerate with
// `go generate ./grammar/`; it needs Node.js (npx) and network access for antlr-ng.
//go:generate bash gen-tsql.sh
