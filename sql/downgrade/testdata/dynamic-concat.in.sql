-- test: target=2014
EXEC (N'CREATE VIEW dbo.vUsers AS SELECT u.Id, ' + N'STRING_AGG(g.Name, N'', '') WITHIN GROUP (ORDER BY g.Name) AS Groups' + N'
FROM dbo.Users u JOIN dbo.Groups g ON g.UserId = u.Id GROUP BY u.Id')
GO
EXEC (N'DROP TABLE ' + N'IF EXISTS dbo.Old')
GO
DECLARE @t sysname = N'dbo.Old';
EXEC (N'DROP TABLE IF EXISTS ' + @t)
GO
