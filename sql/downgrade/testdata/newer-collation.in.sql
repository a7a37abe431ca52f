-- test: target=2008R2
CREATE TABLE dbo.Names (
	Id int NOT NULL,
	Name nvarchar(100) COLLATE Latin1_General_100_CI_AS_SC NOT NULL,
	Kana nvarchar(100) COLLATE Japanese_XJIS_140_CI_AS_VSS NULL,
	Code varchar(10) COLLATE Latin1_General_CI_AS NULL
)
GO
SELECT Name FROM dbo.Names ORDER BY Name COLLATE Japanese_Bushu_Kakusu_140_CS_AS
GO
