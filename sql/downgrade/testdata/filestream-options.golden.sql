-- test: target=2008R2
CREATE DATABASE [XPhone]
 
 ON  PRIMARY 
( NAME = N'XPhone', FILENAME = N'D:\Data\XPhone.mdf' )
 LOG ON 
( NAME = N'XPhone_log', FILENAME = N'D:\Data\XPhone_log.ldf' )
 
GO
 
GO
