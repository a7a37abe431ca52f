-- test: target=2017 collation-map=Latin1_General_100_CI_AS_SC_UTF8=Latin1_General_100_CI_AS_SC
CREATE TABLE dbo.Names (
	Name varchar(100) COLLATE Latin1_General_100_CI_AS_SC NOT NULL,
	Other varchar(100) COLLATE German_PhoneBook_100_CI_AS_SC NULL
)
GO
