// Package grammar holds the ANTLR grammars that define xdm's input formats:
//
//   - Infotool.g4 (with InfotoolLexer.g4): the infotool data exports, the
//     full export and the journal export; generated into
//     parsers/infotool/internal/gen.
//   - Mask.g4: the infotool mask export (.mdl); generated into
//     parsers/mask/internal/gen.
//   - Reg.g4 (with RegLexer.g4): Windows registry files (.reg) of regedit,
//     "Windows Registry Editor Version 5.00" and "REGEDIT4"; generated into
//     parsers/reg/internal/gen.
//
// The Go parsers are generated with antlr-ng 1.0.10 from the npm registry
// (Node.js and npx must be installed) and committed; `go generate ./...`
// regenerates them and CI fails when that changes anything. The runtime is
// github.com/antlr4-go/antlr/v4 v4.13.1, the version antlr-ng targets.
package grammar

//go:generate bash generate.sh
