// Lexer of Windows registry files (.reg), the files regedit exports and
// imports: "Windows Registry Editor Version 5.00" (UTF-16LE with a byte-order
// mark) and "REGEDIT4" (the ANSI code page). docs/reg-format.md is the
// reference this grammar implements.
//
// The lexer works on the code units of the file: bytes for an ANSI file,
// 16-bit units for a UTF-16LE file. Only ASCII has a meaning here, so the same
// rules serve both encodings. The modes follow the structure of a line: a
// line starts in the default mode, and its first token decides how the rest
// is read. A line of hex data that ends in a backslash continues on the next
// line that is neither blank nor a comment (mode CONT).
lexer grammar RegLexer;

// Token types that only other modes produce.
tokens { TEXT, ESCAPE, BAD_ESCAPE, QUOTE_END, COMMENT_TEXT }

fragment H     : [0-9A-Fa-f] ;
fragment BYTE  : H H? ;
fragment EOL   : '\r\n' | '\n' | '\r' ;

// ---- default mode: the start of a line ----

// The first line: one of the two headers, exactly as written here.
V5         : 'Windows Registry Editor Version 5.00' ;
V4         : 'REGEDIT4' ;
WS         : [ \t]+ ;
// A line ends in CRLF, LF or a lone CR (regedit reads all three).
NL         : EOL ;
// [-KEY] deletes a key with its subkeys; [KEY] creates or opens one.
LBRACK_DEL : '[-' -> mode(KEY) ;
LBRACK     : '[' -> mode(KEY) ;
// @ names the default value of the key; "NAME" any other value.
AT         : '@' -> mode(NAMED) ;
QUOTE      : '"' -> mode(NAME_STRING) ;
// A comment line.
SEMI       : ';' -> mode(COMMENT) ;
// Anything else is out of place; the parser reports it with what it expected.
JUNK       : . ;

// ---- a key path, after '[' or '[-' ----
mode KEY;
// The path ends at the last ']' of the line (the parser finds it): a key
// name may hold ']'. A comment may follow it: ';' and anything but ']'.
KEY_COMMENT: ';' ~[\]\r\n\u0000]* ;
KEYTEXT    : ~[\] \t\r\n\u0000]+ ;
RBRACK     : ']' ;
KEY_WS     : [ \t]+ -> type(WS) ;
KEY_NL     : EOL -> type(NL), mode(DEFAULT_MODE) ;
KEY_JUNK   : . -> type(JUNK) ;

// ---- a quoted value name ----
mode NAME_STRING;
NAME_TEXT  : ~["\\\r\n\u0000]+ -> type(TEXT) ;
// \\ \" \n \r are the escapes regedit reads.
NAME_ESC   : '\\' ["\\nr] -> type(ESCAPE) ;
// A backslash that starts none of them.
NAME_BAD   : '\\' -> type(BAD_ESCAPE) ;
NAME_END   : '"' -> type(QUOTE_END), mode(NAMED) ;
NAME_NL    : EOL -> type(NL), mode(DEFAULT_MODE) ;
NAME_JUNK  : . -> type(JUNK) ;

// ---- after the value name: '=' ----
mode NAMED;
NAMED_WS   : [ \t]+ -> type(WS) ;
EQ         : '=' -> mode(DATA) ;
NAMED_NL   : EOL -> type(NL), mode(DEFAULT_MODE) ;
NAMED_JUNK : . -> type(JUNK) ;

// ---- after '=': the data, or '-' to delete the value ----
mode DATA;
DATA_WS    : [ \t]+ -> type(WS) ;
MINUS      : '-' -> mode(LINE_END) ;
DATA_QUOTE : '"' -> type(QUOTE), mode(DATA_STRING) ;
DWORD      : 'dword:' -> mode(DWORD_DATA) ;
HEX        : 'hex:' -> mode(HEX_DATA) ;
// hex(N): the value's type as a hexadecimal number (REG_EXPAND_SZ is 2,
// REG_MULTI_SZ 7, REG_QWORD b); the reader checks that N fits 32 bits.
HEX_TYPE   : 'hex(' H+ '):' -> mode(HEX_DATA) ;
DATA_NL    : EOL -> type(NL), mode(DEFAULT_MODE) ;
DATA_JUNK  : . -> type(JUNK) ;

// ---- a quoted string, the data of a REG_SZ value ----
mode DATA_STRING;
STR_TEXT   : ~["\\\r\n\u0000]+ -> type(TEXT) ;
STR_ESC    : '\\' ["\\nr] -> type(ESCAPE) ;
STR_BAD    : '\\' -> type(BAD_ESCAPE) ;
STR_END    : '"' -> type(QUOTE_END), mode(LINE_END) ;
STR_NL     : EOL -> type(NL), mode(DEFAULT_MODE) ;
STR_JUNK   : . -> type(JUNK) ;

// ---- dword: one to eight hex digits ----
mode DWORD_DATA;
DW_WS      : [ \t]+ -> type(WS) ;
// A ninth digit starts a second number, which the parser refuses.
DWORD_VALUE: H H? H? H? H? H? H? H? -> mode(LINE_END) ;
DW_NL      : EOL -> type(NL), mode(DEFAULT_MODE) ;
DW_JUNK    : . -> type(JUNK) ;

// ---- after complete data: blanks and a comment ----
mode LINE_END;
LE_WS      : [ \t]+ -> type(WS) ;
LE_SEMI    : ';' -> type(SEMI), mode(COMMENT) ;
LE_NL      : EOL -> type(NL), mode(DEFAULT_MODE) ;
LE_JUNK    : . -> type(JUNK) ;

// ---- the text of a comment, to the end of the line ----
mode COMMENT;
CM_TEXT    : ~[\r\n\u0000]+ -> type(COMMENT_TEXT) ;
CM_NL      : EOL -> type(NL), mode(DEFAULT_MODE) ;
CM_JUNK    : . -> type(JUNK) ;

// ---- hex data: bytes of one or two hex digits, separated by commas ----
mode HEX_DATA;
// A run of bytes is one token ("4c,00, 69,00"): blanks may follow a comma,
// not precede it. A multi-megabyte value thus costs one token per line.
HEXBYTES   : BYTE (',' [ \t]* BYTE)* ;
COMMA      : ',' ;
HX_WS      : [ \t]+ -> type(WS) ;
// After a comma, '\' continues the data on the next line.
BACKSLASH  : '\\' -> mode(AFTER_BACKSLASH) ;
HX_SEMI    : ';' -> type(SEMI), mode(COMMENT) ;
HX_NL      : EOL -> type(NL), mode(DEFAULT_MODE) ;
HX_JUNK    : . -> type(JUNK) ;

// ---- the rest of a line after the continuation backslash ----
mode AFTER_BACKSLASH;
AB_WS      : [ \t]+ -> type(WS) ;
AB_SEMI    : ';' -> type(SEMI), mode(CONT_COMMENT) ;
AB_NL      : EOL -> type(NL), mode(CONT) ;
AB_JUNK    : . -> type(JUNK) ;

// ---- the start of a line that continues hex data: blank and comment lines
// are skipped; the first other line must start with a byte ----
mode CONT;
CT_WS      : [ \t]+ -> type(WS) ;
CT_NL      : EOL -> type(NL) ;
CT_SEMI    : ';' -> type(SEMI), mode(CONT_COMMENT) ;
CT_BYTES   : BYTE (',' [ \t]* BYTE)* -> type(HEXBYTES), mode(HEX_DATA) ;
CT_JUNK    : . -> type(JUNK) ;

mode CONT_COMMENT;
CC_TEXT    : ~[\r\n\u0000]+ -> type(COMMENT_TEXT) ;
CC_NL      : EOL -> type(NL), mode(CONT) ;
CC_JUNK    : . -> type(JUNK) ;
