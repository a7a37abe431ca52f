-- test: target=2019
CREATE FUNCTION dbo.Clean(@s nvarchar(100)) RETURNS nvarchar(100) AS
BEGIN
	RETURN LTRIM(RTRIM(@s, N'.'), N'0') + TRIM(LEADING N'x' FROM @s) + TRIM(@s) + LTRIM(@s)
END
GO
SELECT value, ordinal FROM STRING_SPLIT(N'a,b', N',', 1)
GO
SELECT value FROM STRING_SPLIT(N'a,b', N',')
GO
SELECT ISJSON(Doc, OBJECT), ISJSON(Doc), FIRST_VALUE(Doc) IGNORE NULLS OVER (ORDER BY Id),
	LEFT_SHIFT(Flags, 2), RIGHT_SHIFT(Flags, 1), GET_BIT(Flags, 3), SET_BIT(Flags, 0, 1)
FROM dbo.Docs
GO
