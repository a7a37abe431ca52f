SELECT Created AT TIME ZONE 'UTC' AT TIME ZONE 'Central European Standard Time' FROM dbo.Users
GO
