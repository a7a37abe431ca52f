-- test: target=2012
CREATE TABLE [dbo].[CallQueue] (
	[Id] int NOT NULL INDEX [IX_CallQueue_Id] NONCLUSTERED,
	[Agent] int NULL,
	[Index] int NULL,
	INDEX [IX_CallQueue_Agent] NONCLUSTERED ([Agent]) WHERE [Agent] IS NOT NULL
)
GO
CREATE PROCEDURE dbo.QueueTop AS
DECLARE @q TABLE (Id int NOT NULL, INDEX ix_q CLUSTERED (Id));
SELECT TOP (1) Id FROM @q;
GO
SELECT [Index] FROM dbo.CallQueue WITH (INDEX (IX_CallQueue_Agent))
GO
