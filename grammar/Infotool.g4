// Parser of the infotool data exports (full export and journal export), the
// definition xdm implements (docs/infotool.md, the reference in
// shared/formats/infotool.md):
//
//   ; comment (may be indented by blanks)
//   [JOURNAL]            or [TYPE:KEY]
//   NAME=VALUE           value escapes \\ \n \r \t \xHH; 0x<hex> is binary
//
// parsers/infotool cuts the input into records with a byte scanner and parses
// each record with `singleRecord` (and the lines before the first header with
// `preamble`); `file` is the whole-file rule those two add up to.
parser grammar Infotool;

options { tokenVocab = InfotoolLexer; }

// A whole data export: blank and comment lines, then the records.
file         : (blankOrComment NL)* (record+ | blankOrComment) EOF ;

// The lines before the first header.
preamble     : (blankOrComment NL)* blankOrComment EOF ;

// One record as the splitter cuts it: its header line up to the next header.
singleRecord : record EOF ;

record       : header (NL line)* ;
header       : LBRACK TYPE (COLON KEYTEXT?)? RBRACK WS? ;
line         : field | blankOrComment ;
field        : NAME EQ value ;
value        : (TEXT | ESCAPE | BINARY)* ;
blankOrComment : comment | WS? ;
comment      : SEMI COMMENT_TEXT* ;
