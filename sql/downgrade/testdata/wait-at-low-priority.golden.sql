-- test: target=2012
ALTER INDEX ALL ON dbo.Users REBUILD WITH (ONLINE = ON )
GO
ALTER TABLE dbo.Staging SWITCH TO dbo.Calls 
GO
