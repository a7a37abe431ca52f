CREATE TABLE dbo.Docs (
	Id int NOT NULL,
	Body [json] NULL,
	Embedding vector(3) NULL,
	[json] nvarchar(max) NULL,
	Other dbo.json NULL
)
GO
ALTER TABLE dbo.Docs ADD Extra json NULL
GO
CREATE PROCEDURE dbo.SaveDoc @doc json, @v AS vector(3)
AS
DECLARE @t TABLE (j json);
SELECT CAST(@doc AS json), json, [vector] FROM dbo.Docs;
GO
