IF COL_LENGTH(N'[dbo].[Users]', N'Legacy') IS NOT NULL ALTER TABLE [dbo].[Users] DROP COLUMN [Legacy]; IF COL_LENGTH(N'[dbo].[Users]', N'Legacy2') IS NOT NULL ALTER TABLE [dbo].[Users] DROP COLUMN [Legacy2]
GO
IF EXISTS (SELECT 1 FROM sys.objects WHERE name = N'DF_Users_Created' AND parent_object_id = OBJECT_ID(N'dbo.Users')) ALTER TABLE dbo.Users DROP CONSTRAINT [DF_Users_Created]; ALTER TABLE dbo.Users DROP COLUMN Created;
GO
IF EXISTS (SELECT 1 FROM sys.objects WHERE name = N'CK_Users_Name' AND parent_object_id = OBJECT_ID(N'dbo.Users')) ALTER TABLE dbo.Users DROP CONSTRAINT CK_Users_Name; IF EXISTS (SELECT 1 FROM sys.objects WHERE name = N'CK_Users_Mail' AND parent_object_id = OBJECT_ID(N'dbo.Users')) ALTER TABLE dbo.Users DROP CONSTRAINT CK_Users_Mail
GO
ALTER TABLE dbo.Users DROP CONSTRAINT PK_Users
GO
