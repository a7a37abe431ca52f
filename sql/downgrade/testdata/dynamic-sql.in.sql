SET ANSI_NULLS ON
GO
IF NOT EXISTS (SELECT * FROM sys.views WHERE object_id = OBJECT_ID(N'[dbo].[vUserNumbers]'))
EXEC dbo.sp_executesql @statement = N'CREATE VIEW [dbo].[vUserNumbers]
AS
SELECT u.UserId, STRING_AGG(c.Number, N'', '') AS Numbers
FROM dbo.Users AS u
JOIN dbo.CallJournal AS c ON c.UserId = u.UserId
GROUP BY u.UserId
'
GO
IF NOT EXISTS (SELECT * FROM sys.objects WHERE object_id = OBJECT_ID(N'[dbo].[Purge]') AND type in (N'P', N'PC'))
BEGIN
EXEC dbo.sp_executesql @statement = N'CREATE PROCEDURE [dbo].[Purge] AS'
END
GO
EXEC (N'DROP TABLE IF EXISTS dbo.Stale; CREATE INDEX IX_Calls ON dbo.Calls (Started) WITH (OPTIMIZE_FOR_SEQUENTIAL_KEY = ON)')
GO
IF OBJECT_ID(N'dbo.vCalls') IS NULL
	EXECUTE sys.sp_executesql N'CREATE OR ALTER VIEW dbo.vCalls AS SELECT N''it''''s'' AS Quote, TRIM(Number) AS Number FROM dbo.Calls', N'@x int', @x = 1
GO
EXEC sp_executesql N'EXEC (N''DROP VIEW IF EXISTS dbo.[it''''s]'')'
GO
EXEC (N'SELECT 1 AS ' + N'[STRING_AGG(]')
GO
EXEC (N'DROP TABLE IF EXISTS dbo.Remote') AT [XPHONE2019]
GO
