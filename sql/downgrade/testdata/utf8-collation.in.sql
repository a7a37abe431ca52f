CREATE TABLE dbo.Names (
	Id int NOT NULL,
	Name varchar(100) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NOT NULL,
	Code varchar(10) COLLATE Latin1_General_CI_AS NULL
)
GO
