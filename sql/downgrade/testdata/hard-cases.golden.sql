-- CREATE OR ALTER PROCEDURE in a comment; DROP TABLE IF EXISTS x; STRING_AGG(
/* nested /* CREATE OR ALTER VIEW v */ still comment: TRIM(x)
GO
*/
SELECT 'CREATE OR ALTER PROCEDURE p AS SELECT STRING_AGG(a, '','')' AS [STRING_AGG(], N'DROP TABLE IF EXISTS t' AS "TRIM("
GO
SELECT [TRIM](x), dbo.TRIM(x), s.GREATEST(a) FROM [DROP TABLE IF EXISTS t]
GO
CREATE FUNCTION dbo.GREATEST(@a int, @b int) RETURNS int AS BEGIN RETURN CASE WHEN @a > @b THEN @a ELSE @b END END
GO
INSERT [dbo].[Notes] ([Id], [Text]) VALUES (1, N'use STRING_AGG() and CREATE OR ALTER; GO')
INSERT [dbo].[Notes] ([Id], [Text]) VALUES (2, N'multi-line
GO
still the string')
GO
SELECT name FROM sys.databases WHERE compatibility_level = 150
SELECT p.data_compression, 1 AS throw FROM sys.partitions AS p WHERE data_compression = 2
UPDATE dbo.Settings SET QUERY_STORE = 1, OPTIMIZE_FOR_SEQUENTIAL_KEY = 0
GO
