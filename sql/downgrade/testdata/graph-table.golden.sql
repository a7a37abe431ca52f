CREATE TABLE dbo.Person (Id int PRIMARY KEY, Name nvarchar(100)) AS NODE
GO
CREATE TABLE dbo.Knows AS EDGE
GO
