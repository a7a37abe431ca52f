-- test: target=2017

GO
CREATE TABLE dbo.t (a int);

GO
