-- test: target=2008

GO
CREATE TABLE dbo.Facts (Id int NOT NULL, Amount money NOT NULL)
IF OBJECT_ID(N'dbo.Facts') IS NOT NULL
	WAITFOR DELAY '00:00:00';
GO
