-- test: target=2016
SELECT CallId, StartTime INTO dbo.CallArchive ON [ARCHIVE] FROM dbo.Calls WHERE StartTime < '2020-01-01'
GO
SELECT CallId INTO #calls FROM dbo.Calls
GO
INSERT INTO dbo.CallArchive (CallId, StartTime) SELECT c.CallId, c.StartTime FROM dbo.Calls AS c JOIN dbo.Users AS u ON u.UserId = c.UserId
GO
