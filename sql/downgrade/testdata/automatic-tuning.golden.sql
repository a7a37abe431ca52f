-- test: target=2016

GO
ALTER DATABASE [XPhoneConnect] SET QUERY_STORE = ON
GO
