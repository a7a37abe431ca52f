SET ANSI_NULLS ON
GO
/****** Object:  StoredProcedure [dbo].[GetUsers] ******/
IF OBJECT_ID(N'[dbo].[GetUsers]') IS NULL EXEC sp_executesql N'CREATE PROCEDURE [dbo].[GetUsers] @Name nvarchar(50) = NULL AS RAISERROR(N''xdm: PROCEDURE dbo.GetUsers is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1); RETURN 1;';
GO
ALTER PROCEDURE [dbo].[GetUsers]
	@Name nvarchar(50) = NULL
AS
BEGIN
	SET NOCOUNT ON;
	SELECT Id, Name FROM dbo.Users WHERE Name = @Name OR @Name IS NULL;
END
GO
IF OBJECT_ID(N'dbo.[Odd''s ]]Name]') IS NULL EXEC sp_executesql N'CREATE PROCEDURE dbo.[Odd''s ]]Name] AS RAISERROR(N''xdm: PROCEDURE dbo.Odd''''s ]Name is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1); RETURN 1;';
GO
ALTER proc dbo.[Odd's ]]Name] AS SELECT 1
GO
IF OBJECT_ID(N'[dbo].[vUsers]') IS NULL EXEC sp_executesql N'CREATE VIEW [dbo].[vUsers] AS SELECT CAST(N''xdm: VIEW dbo.vUsers is a placeholder: the ALTER that defines it failed when the script ran'' AS int) AS stub;';
GO
ALTER VIEW [dbo].[vUsers]
AS
SELECT Id, Name FROM dbo.Users
GO
IF OBJECT_ID(N'dbo.fnScalar') IS NULL EXEC sp_executesql N'CREATE FUNCTION dbo.fnScalar(@x int) RETURNS int AS BEGIN RETURN CAST(N''xdm: FUNCTION dbo.fnScalar is a placeholder: the ALTER that defines it failed when the script ran'' AS int); END;';
GO
ALTER FUNCTION dbo.fnScalar(@x int) RETURNS int AS BEGIN RETURN @x + 1 END
GO
IF OBJECT_ID(N'dbo.fnInline') IS NULL EXEC sp_executesql N'CREATE FUNCTION dbo.fnInline(@x int) RETURNS TABLE AS RETURN (SELECT CAST(N''xdm: FUNCTION dbo.fnInline is a placeholder: the ALTER that defines it failed when the script ran'' AS int) AS stub);';
GO
ALTER FUNCTION dbo.fnInline(@x int) RETURNS TABLE AS RETURN (SELECT @x AS x)
GO
IF OBJECT_ID(N'dbo.fnMulti') IS NULL EXEC sp_executesql N'CREATE FUNCTION dbo.fnMulti(@x int) RETURNS @stub TABLE (stub int) AS BEGIN INSERT @stub VALUES (CAST(N''xdm: FUNCTION dbo.fnMulti is a placeholder: the ALTER that defines it failed when the script ran'' AS int)); RETURN; END;';
GO
ALTER FUNCTION dbo.fnMulti(@x int)
RETURNS @t TABLE (x int)
AS
BEGIN
	INSERT @t VALUES (@x);
	RETURN;
END
GO
IF OBJECT_ID(N'[dbo].[trUsers]', N'TR') IS NULL EXEC sp_executesql N'CREATE TRIGGER [dbo].[trUsers] ON [dbo].[Users] WITH EXECUTE AS ''dbo'' AFTER INSERT, UPDATE AS RAISERROR(N''xdm: TRIGGER dbo.trUsers is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1); ROLLBACK TRANSACTION;';
GO
ALTER TRIGGER [dbo].[trUsers] ON [dbo].[Users] WITH EXECUTE AS 'dbo' AFTER INSERT, UPDATE
AS
BEGIN
	SET NOCOUNT ON;
END
GO
IF OBJECT_ID(N'trView', N'TR') IS NULL EXEC sp_executesql N'CREATE TRIGGER trView ON dbo.vUsers INSTEAD OF DELETE AS RAISERROR(N''xdm: TRIGGER trView is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1); ROLLBACK TRANSACTION;';
GO
ALTER TRIGGER trView ON dbo.vUsers INSTEAD OF DELETE AS SELECT 1
GO
IF NOT EXISTS (SELECT 1 FROM sys.triggers WHERE parent_class = 0 AND name = N'trDdl') EXEC sp_executesql N'CREATE TRIGGER trDdl ON DATABASE FOR CREATE_TABLE AS RAISERROR(N''xdm: TRIGGER trDdl is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1);';
GO
ALTER TRIGGER trDdl ON DATABASE FOR CREATE_TABLE AS PRINT 'table created'
GO
IF NOT EXISTS (SELECT 1 FROM sys.server_triggers WHERE name = N'trLogon') EXEC sp_executesql N'CREATE TRIGGER trLogon ON ALL SERVER FOR LOGON AS SET NOCOUNT ON;';
GO
ALTER TRIGGER trLogon ON ALL SERVER FOR LOGON AS PRINT 'logon'
GO
CREATE OR ALTER PROCEDURE dbo.Fast @id int WITH NATIVE_COMPILATION, SCHEMABINDING AS BEGIN ATOMIC WITH (TRANSACTION ISOLATION LEVEL = SNAPSHOT, LANGUAGE = N'us_english') SELECT @id END
GO
CREATE OR ALTER FUNCTION dbo.Clr(@s nvarchar(100)) RETURNS nvarchar(100) AS EXTERNAL NAME Asm.[Ns.Cls].Fn
GO
