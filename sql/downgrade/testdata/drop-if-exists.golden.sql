IF OBJECT_ID(N'[dbo].[Users]', N'U') IS NOT NULL DROP TABLE [dbo].[Users]; IF OBJECT_ID(N'dbo.Groups', N'U') IS NOT NULL DROP TABLE dbo.Groups;
IF OBJECT_ID(N'tempdb..#work', N'U') IS NOT NULL DROP TABLE #work
IF OBJECT_ID(N'dbo.vUsers', N'V') IS NOT NULL DROP VIEW dbo.vUsers
IF OBJECT_ID(N'dbo.GetUsers') IS NOT NULL DROP PROCEDURE dbo.GetUsers; IF OBJECT_ID(N'dbo.[Odd''s ]]Name]') IS NOT NULL DROP PROCEDURE dbo.[Odd's ]]Name]
IF OBJECT_ID(N'GetGroups') IS NOT NULL DROP PROC GetGroups
IF OBJECT_ID(N'dbo.fnScalar') IS NOT NULL DROP FUNCTION dbo.fnScalar
IF OBJECT_ID(N'dbo.trUsers', N'TR') IS NOT NULL DROP TRIGGER dbo.trUsers
IF EXISTS (SELECT 1 FROM sys.triggers WHERE parent_class = 0 AND name = N'trDdl') DROP TRIGGER trDdl ON DATABASE; IF EXISTS (SELECT 1 FROM sys.triggers WHERE parent_class = 0 AND name = N'trDdl2') DROP TRIGGER trDdl2 ON DATABASE
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Users_Name' AND object_id = OBJECT_ID(N'dbo.Users')) DROP INDEX IX_Users_Name ON dbo.Users; IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Groups' AND object_id = OBJECT_ID(N'dbo.Groups')) DROP INDEX IX_Groups ON dbo.Groups
IF SCHEMA_ID(N'Staging') IS NOT NULL DROP SCHEMA [Staging]
IF TYPE_ID(N'dbo.NameList') IS NOT NULL DROP TYPE dbo.NameList
IF OBJECT_ID(N'dbo.OrderNumbers', N'SO') IS NOT NULL DROP SEQUENCE dbo.OrderNumbers
IF OBJECT_ID(N'dbo.Customers', N'SN') IS NOT NULL DROP SYNONYM dbo.Customers
IF DATABASE_PRINCIPAL_ID(N'xphone') IS NOT NULL DROP USER [xphone]
IF DB_ID(N'Scratch') IS NOT NULL DROP DATABASE Scratch
GO
IF @@ROWCOUNT > 0
	BEGIN IF OBJECT_ID(N'dbo.a', N'U') IS NOT NULL DROP TABLE dbo.a; IF OBJECT_ID(N'dbo.b', N'U') IS NOT NULL DROP TABLE dbo.b; END
ELSE
	PRINT 'nothing'
GO
IF OBJECT_ID(N'dbo.Concatenate', N'AF') IS NOT NULL DROP AGGREGATE dbo.Concatenate
GO

GO
