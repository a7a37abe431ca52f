-- test: target=2012 source=2016
BACKUP DATABASE [XPhone] TO DISK = N'D:\Backup\XPhone.bak' WITH COMPRESSION, ENCRYPTION (ALGORITHM = AES_256, SERVER CERTIFICATE = [XPhoneBackupCert]), STATS = 10
GO
BACKUP DATABASE [XPhone] TO URL = N'https://xpbackup.blob.core.windows.net/sql/XPhone.bak' WITH ENCRYPTION (ALGORITHM = AES_128, SERVER CERTIFICATE = XPhoneBackupCert)
GO
BACKUP CERTIFICATE XPhoneBackupCert TO FILE = N'D:\Backup\cert.cer' WITH PRIVATE KEY (FILE = N'D:\Backup\cert.pvk', ENCRYPTION BY PASSWORD = N'x')
GO
