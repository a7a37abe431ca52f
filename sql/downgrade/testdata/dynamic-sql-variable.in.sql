-- test: target=2008
SET QUOTED_IDENTIFIER ON;
GO
DECLARE @sql nvarchar(max) = CAST(N'CREATE PROCEDURE dbo.Report
AS
-- runs as $' AS nvarchar(max)) + N'(XPHONE_SERVICE)' + NCHAR(13) + NCHAR(10) + N'SELECT FORMAT(SYSDATETIME(), N''d'') AS Today,
    STRING_AGG(Number, N'', '') AS Numbers
FROM dbo.Calls;
';
EXEC (@sql);
GO
DECLARE @sql nvarchar(max) = N'CREATE OR ALTER VIEW dbo.vCalls AS SELECT Number FROM dbo.Calls';
EXEC (@sql);
GO
DECLARE @s nvarchar(max) = N'SELECT 1 AS One';
SET @s = N'SELECT IIF(1 = 1, 1, 0) AS One';
EXEC (@s);
GO
DECLARE @t nvarchar(max) = N'SELECT CONCAT(N''a'', N''b'') AS AB';
EXEC (@t) AT [XPHONE2019];
GO
