-- test: target=2016
ALTER INDEX [IX_Calls_Started] ON [dbo].[Calls] REBUILD WITH (ONLINE = ON);
GO

GO

GO
IF EXISTS (SELECT 1 FROM sys.index_resumable_operations) WAITFOR DELAY '00:00:00';
GO
SELECT 1 AS [RESUME], 2 AS PAUSE;
GO
