SELECT 'first line
GO
still the string', 'it''s'
GO
SELECT "quoted
GO
ident", [bracket
GO
]]still]
GO
/* a comment
GO
/* nested
GO
*/ still inside
GO
*/ SELECT 3 -- GO here is a comment
GO
-- a line comment ' does not open a string
SELECT 4
GOTO
GO;
GO
