// Lexer of the infotool data exports (full export and journal export).
//
// The lexer works on the units of the file: bytes for cp1252 and UTF-8 files,
// 16-bit code units for UTF-16LE files. Only ASCII has a meaning here, so the
// same rules serve every encoding. Modes follow the line structure: a line
// starts in the default mode and the first token decides how the rest of the
// line is read (a header, a comment, or a NAME=VALUE field).
lexer grammar InfotoolLexer;

// ---- default mode: the start of a line, or what follows a header's ']' ----

// '[' at the very start of a line opens a record header [TYPE] or [TYPE:KEY].
LBRACK     : '[' -> pushMode(HEADER) ;
// A comment line: optional blanks, then ';' and any text to the end of the line.
SEMI       : [ \t]* ';' -> pushMode(COMMENT) ;
WS         : [ \t]+ ;
// A line ends in LF or CRLF; a lone CR is no line end.
NL         : '\r'? '\n' ;
// A field name: a letter, then letters, digits and '_'.
NAME       : [A-Za-z] [A-Za-z0-9_]* ;
// The first '=' after the name: the rest of the line is the value.
EQ         : '=' -> pushMode(VALUE) ;
// Anything else is out of place; the parser reports it with what it expected.
JUNK       : . ;

// ---- inside [ ... ] ----
mode HEADER;
TYPE       : [A-Za-z0-9_]+ ;
COLON      : ':' -> mode(KEY) ;
RBRACK     : ']' -> popMode ;
HEADER_NL  : '\r'? '\n' -> type(NL), popMode ;
HEADER_JUNK: . -> type(JUNK) ;

// ---- the KEY of [TYPE:KEY]: any text without ']' ----
mode KEY;
KEYTEXT    : ~[\]\r\n]+ ;
KEY_RBRACK : ']' -> type(RBRACK), popMode ;
KEY_NL     : '\r'? '\n' -> type(NL), popMode ;
KEY_JUNK   : . -> type(JUNK) ;

// ---- the VALUE of NAME=VALUE: the rest of the line ----
mode VALUE;
// 0x and hex digits; a value that is exactly one BINARY token is binary.
// (For equal lengths the first rule wins, so "0x1F" is BINARY, not TEXT.)
BINARY     : '0x' [0-9A-Fa-f]+ ;
TEXT       : ~[\\\r\n]+ ;
ESCAPE     : '\\' ( [\\nrt] | 'x' [0-9A-Fa-f] [0-9A-Fa-f] ) ;
// A backslash that starts none of the escapes above.
BAD_ESCAPE : '\\' ;
VALUE_CR   : '\r' -> type(TEXT) ;
VALUE_NL   : '\r'? '\n' -> type(NL), popMode ;

// ---- the text of a comment line ----
mode COMMENT;
COMMENT_TEXT : ~[\r\n]+ ;
COMMENT_CR   : '\r' -> type(COMMENT_TEXT) ;
COMMENT_NL   : '\r'? '\n' -> type(NL), popMode ;
