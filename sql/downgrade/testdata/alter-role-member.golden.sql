-- test: target=2008R2
EXEC sp_addrolemember N'db_datareader', N'xphone_app';
EXEC sp_droprolemember N'db_datawriter', N'DOMAIN\Old User'
GO
IF DATABASE_PRINCIPAL_ID(N'xphone_app') IS NOT NULL
	BEGIN EXEC sp_addrolemember N'db_owner', N'xphone_app'; END
GO
EXEC sp_addsrvrolemember N'DOMAIN\xphone-admins', N'sysadmin'
EXEC sp_dropsrvrolemember N'O''Brien', N'dbcreator'
GO
ALTER ROLE [app_role] WITH NAME = [app_users]
GO
