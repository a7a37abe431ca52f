// Package sqlcmdcompat proves sql/batch and xdm sql run against Microsoft's
// own sqlcmd parser, github.com/microsoft/go-sqlcmd at exactly v1.10.0. It is
// a module of its own so that xdm's dependencies do not grow: only its tests
// and the benchmark harness in cmd/sqlcmdsplit use go-sqlcmd.
package sqlcmdcompat
