// The infotool mask export (.mdl): one MASK block per record type.
//
//   MASK JOURNAL VERSION 7
//   {
//       FIELD MSGID  STRING(32)  KEY
//       FIELD BODY   BINARY      OPTIONAL   ; comment to the end of the line
//   }
//
// Keywords and names are case-insensitive. parsers/mask turns the tree into
// masks and fields.
grammar Mask;

options { caseInsensitive = true; }

file      : mask* EOF ;
mask      : MASK name VERSION NUMBER LBRACE field* RBRACE ;
field     : FIELD name type flag* ;
type      : STRING LPAREN NUMBER RPAREN      # stringType
          | INT                             # intType
          | DATETIME                        # datetimeType
          | BINARY (LPAREN NUMBER RPAREN)?  # binaryType
          | BOOL                            # boolType
          ;
flag      : KEY                             # keyFlag
          | INDEX                           # indexFlag
          | OPTIONAL                        # optionalFlag
          | CUSTOM                          # customFlag
          | DEFAULT (NUMBER | QUOTED)       # defaultFlag
          ;
// A name may be spelled like a keyword (a field called INDEX).
name      : IDENT | MASK | VERSION | FIELD | STRING | INT | DATETIME | BINARY
          | BOOL | KEY | INDEX | OPTIONAL | CUSTOM | DEFAULT ;

MASK      : 'MASK' ;
VERSION   : 'VERSION' ;
FIELD     : 'FIELD' ;
STRING    : 'STRING' ;
INT       : 'INT' ;
DATETIME  : 'DATETIME' ;
BINARY    : 'BINARY' ;
BOOL      : 'BOOL' ;
KEY       : 'KEY' ;
INDEX     : 'INDEX' ;
OPTIONAL  : 'OPTIONAL' ;
CUSTOM    : 'CUSTOM' ;
DEFAULT   : 'DEFAULT' ;
LBRACE    : '{' ;
RBRACE    : '}' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
IDENT     : [A-Z] [A-Z0-9_]* ;
NUMBER    : '-'? [0-9]+ ;
// A quoted string: no line break inside; "" stands for one quote.
QUOTED    : '"' ( ~["\r\n] | '""' )* '"' ;
COMMENT   : ';' ~[\r\n]* -> skip ;
WS        : [ \t\r\n]+ -> skip ;
// Anything else is reported by the parser with what it expected.
JUNK      : . ;
