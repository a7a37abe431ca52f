CREATE TABLE dbo.Embeddings (Id int NOT NULL, V vector(1536) NOT NULL, [vector] int NULL)
GO
DECLARE @q vector(3) = CAST('[1,2,3]' AS vector(3));
GO
