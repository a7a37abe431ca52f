// TSqlLexer: the tokens of Transact-SQL as xdm's version rules need them.
//
// Written for xdm. It is a lexer only: the downgrade rules match on token
// sequences, so the one thing this grammar must get exactly right is where
// strings, quoted and [bracketed] names and comments begin and end; nothing
// inside them is ever taken for syntax. Keywords the rules look for are their
// own token types; every other word is ID. Unterminated strings, names and
// comments run to the end of input instead of failing, and any other
// character is a one-character OTHER token, so the lexer never reports an error.
lexer grammar TSqlLexer;

options { caseInsensitive = true; }

channels { COMMENTS }

// Keywords the rules match on (case-insensitive, as in T-SQL).
ADD:          'ADD';
ALTER:        'ALTER';
AS:           'AS';
BEGIN:        'BEGIN';
COLLATE:      'COLLATE';
COLUMN:       'COLUMN';
CONSTRAINT:   'CONSTRAINT';
CREATE:       'CREATE';
DATABASE:     'DATABASE';
DISTINCT:     'DISTINCT';
DROP:         'DROP';
END:          'END';
EXISTS:       'EXISTS';
FOR:          'FOR';
FROM:         'FROM';
FUNCTION:     'FUNCTION';
IF:           'IF';
INDEX:        'INDEX';
INSERT:       'INSERT';
IS:           'IS';
NOT:          'NOT';
ON:           'ON';
OR:           'OR';
PROC:         'PROC';
PROCEDURE:    'PROCEDURE';
RETURNS:      'RETURNS';
SCHEMA:       'SCHEMA';
SEQUENCE:     'SEQUENCE';
SET:          'SET';
SYNONYM:      'SYNONYM';
TABLE:        'TABLE';
TRIGGER:      'TRIGGER';
TYPE:         'TYPE';
VALUES:       'VALUES';
VIEW:         'VIEW';
WITH:         'WITH';

// Literals.
STRING:       'N'? '\'' ( ~'\'' | '\'\'' )* ( '\'' | EOF );
BINARY:       '0X' [0-9A-F]*;
NUMBER:       ( DIGITS ( '.' DIGITS? )? | '.' DIGITS ) ( 'E' [+-]? DIGITS )?;
MONEY:        '$' [+-]? ( DIGITS ( '.' DIGITS? )? | '.' DIGITS );

// Names.
BRACKET_ID:   '[' ( ~']' | ']]' )* ( ']' | EOF );
QUOTED_ID:    '"' ( ~'"' | '""' )* ( '"' | EOF );
VARIABLE:     '@' [A-Z0-9_@$#\u0080-\u{10FFFF}]*;
TEMP_ID:      '#' [A-Z0-9_@$#\u0080-\u{10FFFF}]*;
SQLCMD_VAR:   '$(' ~[)\r\n]* ')';
ID:           [A-Z_\u0080-\u{10FFFF}] [A-Z0-9_@$#\u0080-\u{10FFFF}]*;

// Layout and comments.
WS:           [ \t\r\n\f\u000B]+ -> channel(HIDDEN);
LINE_COMMENT: '--' ~[\r\n]* -> channel(COMMENTS);
BLOCK_COMMENT: '/*' ( BLOCK_COMMENT | . )*? ( '*/' | EOF ) -> channel(COMMENTS);

// Operators and punctuation.
LPAREN:       '(';
RPAREN:       ')';
COMMA:        ',';
SEMI:         ';';
DOT:          '.';
EQ:           '=';
COLON_COLON:  '::';
OPERATOR:     '<>' | '!=' | '<=' | '>=' | '!<' | '!>' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '^=' | '|='
            | [<>+\-*/%&|^~!:];

// Anything else, one character at a time.
OTHER:        .;

fragment DIGITS: [0-9]+;
