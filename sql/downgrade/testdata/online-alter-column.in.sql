-- test: target=2014
ALTER TABLE dbo.Users ALTER COLUMN DisplayName nvarchar(400) NOT NULL WITH (ONLINE = ON)
GO
CREATE INDEX IX_Users_Login ON dbo.Users (Login) WITH (ONLINE = ON)
GO
