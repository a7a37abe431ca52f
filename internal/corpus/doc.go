// Package corpus holds no code: its tests check the sample files of the whole
// repository (every testdata folder) against their formats' own tools and
// documentation rather than xdm's readers. pg_dump files must restore with
// psql, and so must what the UCC lowercase fix makes of them; TAR files must
// list without a warning in GNU tar and in bsdtar; XML files must be
// well-formed for xmllint; .reg files must be laid out as regedit writes
// them; the sqlcmd scripts of sql/batch must parse with Microsoft's T-SQL
// parser. A sample that breaks its format on purpose (for an error test) is
// named in the section "## Deliberate deviations" of the README.md in its
// folder, and the tests check that it really does. docs/testdata.md lists
// where each sample comes from.
package corpus
