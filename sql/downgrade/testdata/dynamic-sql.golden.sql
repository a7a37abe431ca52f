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
EXEC (N'IF OBJECT_ID(N''dbo.Stale'', N''U'') IS NOT NULL DROP TABLE dbo.Stale; CREATE INDEX IX_Calls ON dbo.Calls (Started) ')
GO
IF OBJECT_ID(N'dbo.vCalls') IS NULL
	BEGIN EXECUTE sys.sp_executesql N'IF OBJECT_ID(N''dbo.vCalls'') IS NULL EXEC sp_executesql N''CREATE VIEW dbo.vCalls AS SELECT CAST(N''''xdm: VIEW dbo.vCalls could not be created on SQL Server 2014: it uses TRIM() (SQL Server 2017); rewrite it by hand'''' AS int) AS stub;''', N'@x int', @x = 1; EXECUTE sys.sp_executesql N'ALTER VIEW dbo.vCalls AS SELECT N''it''''s'' AS Quote, TRIM(Number) AS Number FROM dbo.Calls', N'@x int', @x = 1; END
GO
EXEC sp_executesql N'EXEC (N''IF OBJECT_ID(N''''dbo.[it''''''''s]'''', N''''V'''') IS NOT NULL DROP VIEW dbo.[it''''s]'')'
GO
EXEC (N'SELECT 1 AS ' + N'[STRING_AGG(]')
GO
EXEC (N'DROP TABLE IF EXISTS dbo.Remote') AT [XPHONE2019]
GO
