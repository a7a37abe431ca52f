-- test: target=2014
ALTER TABLE [dbo].[CallQueue] ADD INDEX [ix_Queued] NONCLUSTERED ([Queued])
GO
ALTER TABLE [dbo].[CallQueue] ALTER INDEX [PK_CallQueue] REBUILD WITH (BUCKET_COUNT = 2048)
GO
ALTER TABLE [dbo].[CallQueue] DROP INDEX [ix_Queued]
GO
ALTER TABLE [dbo].[Calls] ADD CONSTRAINT [DF_Calls_Started] DEFAULT (getdate()) FOR [Started]
GO
