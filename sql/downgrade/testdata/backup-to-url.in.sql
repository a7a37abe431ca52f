-- test: target=2008R2 source=2014
BACKUP DATABASE [XPhone] TO URL = N'https://xpbackup.blob.core.windows.net/sql/XPhone.bak' WITH COMPRESSION, STATS = 10
GO
RESTORE DATABASE [XPhone] FROM URL = N'https://xpbackup.blob.core.windows.net/sql/XPhone.bak' WITH REPLACE
GO
BACKUP DATABASE [XPhone] TO DISK = N'D:\Backup\XPhone.bak' WITH COMPRESSION
GO
