// Parser of Windows registry files (.reg), the definition xdm implements
// (docs/reg-format.md):
//
//   Windows Registry Editor Version 5.00        or REGEDIT4
//
//   [HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM]        a key; [-KEY] deletes one
//   "Name"="text with \\ and \""                REG_SZ; @= is the default value
//   "Count"=dword:0000001f                      REG_DWORD
//   "Blob"=hex:4c,00,69,00,\                    REG_BINARY, continued on
//     6e,00,65,00                               the next line
//   "Path"=hex(2):25,00,50,00,00,00             hex(N): type N (2 REG_EXPAND_SZ,
//                                               7 REG_MULTI_SZ, b REG_QWORD)
//   "Old"=-                                     deletes the value
//   ; a comment
//
// parsers/reg cuts the input into entries with a byte scanner (an entry is
// one line, or the lines of one hex value with its continuations) and parses
// each with `header` or `entry`; `file` is the whole-file rule those add up
// to.
parser grammar Reg;

options { tokenVocab = RegLexer; }

// A whole file: the header line, then lines.
file        : headerLine (NL line)* EOF ;

// The first entry as the splitter cuts it.
header      : headerLine NL? EOF ;

// Any other entry as the splitter cuts it.
entry       : line NL? EOF ;

// Blanks may precede the header, but nothing may follow it on its line.
headerLine  : WS? (V5 | V4) ;

line        : keyLine | valueLine | commentLine | WS? ;

commentLine : WS? comment ;
comment     : SEMI COMMENT_TEXT? ;

// The key path runs from the '[' to the last ']' of the line, as regedit
// reads it: it starts right after the bracket and may hold ']', blanks and
// ';'; only blanks and a comment may follow it.
keyLine     : WS? (LBRACK | LBRACK_DEL) keyPath RBRACK WS? KEY_COMMENT? ;
keyPath     : (KEYTEXT | RBRACK | KEY_COMMENT) (KEYTEXT | RBRACK | WS | KEY_COMMENT)* ;

valueLine   : WS? valueName WS? EQ WS? data ;
valueName   : AT | QUOTE string ;
string      : (TEXT | ESCAPE)* QUOTE_END ;

data        : MINUS lineEnd                    # deleteData
            | QUOTE string lineEnd             # stringData
            | DWORD WS? DWORD_VALUE lineEnd    # dwordData
            | (HEX | HEX_TYPE) WS? hexLines    # hexData
            ;
lineEnd     : WS? comment? ;

// Hex data: lines of bytes; each but the last ends with ",\" (or is only
// the backslash), and the next line of bytes may follow blank and comment
// lines. A backslash at the end of the file ends the data.
hexLines    : (hexContinued BACKSLASH hexGap)* hexLast ;
hexContinued: (HEXBYTES COMMA WS?)? ;
hexGap      : WS? comment? (NL WS? comment?)* ;
hexLast     : HEXBYTES (COMMA WS? comment? | WS? comment?)
            | comment?
            ;
