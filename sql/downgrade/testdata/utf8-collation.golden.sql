CREATE DATABASE [Names] COLLATE Latin1_General_100_CI_AS_SC
GO
CREATE TABLE dbo.Names (
	Id int NOT NULL,
	Name varchar(100) COLLATE Latin1_General_100_CI_AS_SC NOT NULL,
	Wide nvarchar(100) COLLATE Latin1_General_100_CI_AS_SC NULL,
	Polish [varchar](max) COLLATE Polish_100_CS_AS_SC NULL,
	Code varchar(10) COLLATE Latin1_General_CI_AS NULL
)
GO
ALTER TABLE dbo.Names ADD Hindi varchar(50) COLLATE Indic_General_100_CI_AS_SC NULL
GO
