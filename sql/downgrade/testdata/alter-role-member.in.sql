-- test: target=2008R2
ALTER ROLE [db_datareader] ADD MEMBER [xphone_app];
ALTER ROLE db_datawriter DROP MEMBER [DOMAIN\Old User]
GO
IF DATABASE_PRINCIPAL_ID(N'xphone_app') IS NOT NULL
	ALTER ROLE [db_owner] ADD MEMBER [xphone_app]
GO
ALTER SERVER ROLE [sysadmin] ADD MEMBER [DOMAIN\xphone-admins]
ALTER SERVER ROLE dbcreator DROP MEMBER [O'Brien]
GO
ALTER ROLE [app_role] WITH NAME = [app_users]
GO
