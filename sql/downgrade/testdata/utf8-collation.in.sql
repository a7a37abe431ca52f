CREATE DATABASE [Names] COLLATE Latin1_General_100_CI_AS_SC_UTF8
GO
CREATE TABLE dbo.Names (
	Id int NOT NULL,
	Name varchar(100) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NOT NULL,
	Wide nvarchar(100) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NULL,
	Polish [varchar](max) COLLATE Polish_100_CS_AS_SC_UTF8 NULL,
	Code varchar(10) COLLATE Latin1_General_CI_AS NULL
)
GO
ALTER TABLE dbo.Names ADD Hindi varchar(50) COLLATE Indic_General_100_CI_AS_SC_UTF8 NULL
GO
