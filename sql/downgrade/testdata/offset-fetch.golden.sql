-- test: target=2008R2
CREATE PROCEDURE dbo.CallPage @page int, @take int AS
SELECT CallId, StartTime FROM dbo.Calls
ORDER BY StartTime OFFSET (@page - 1) * @take ROWS FETCH NEXT @take ROWS ONLY;
GO
SELECT TOP (10) CallId, StartTime AS [Offset] FROM dbo.Calls ORDER BY StartTime
GO
