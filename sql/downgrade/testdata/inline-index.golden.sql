-- test: target=2012
CREATE TABLE [dbo].[CallQueue] (
	[Id] int NOT NULL,
	[Agent] int NULL,
	[Index] int NULL

);
CREATE NONCLUSTERED INDEX [IX_CallQueue_Id] ON [dbo].[CallQueue] ([Id]);
CREATE NONCLUSTERED INDEX [IX_CallQueue_Agent] ON [dbo].[CallQueue] ([Agent]) WHERE [Agent] IS NOT NULL;
GO
CREATE TABLE [dbo].[Agents] (
	[AgentId] int NOT NULL CONSTRAINT [PK_Agents] PRIMARY KEY NONCLUSTERED,
	[Login] nvarchar(128) NOT NULL,
	[Team] int NULL,
	[Name] nvarchar(200) NULL


) ON [PRIMARY];
CREATE UNIQUE CLUSTERED INDEX [IX_Agents_Login] ON [dbo].[Agents] ([Login]) WITH (FILLFACTOR = 90) ON [PRIMARY];
CREATE INDEX [IX_Agents_Team] ON [dbo].[Agents] ([Team] ASC, [AgentId] DESC) INCLUDE ([Name]) WITH (PAD_INDEX = ON, DATA_COMPRESSION = PAGE) ON [PRIMARY];
GO
CREATE PROCEDURE dbo.QueueTop AS
DECLARE @q TABLE (Id int NOT NULL, INDEX ix_q CLUSTERED (Id));
CREATE TABLE #work (Id int NOT NULL, Agent int NULL);
CREATE NONCLUSTERED INDEX ix_work_agent ON #work (Agent);
IF OBJECT_ID(N'tempdb..#seen') IS NULL
	BEGIN CREATE TABLE #seen (Id int NOT NULL);
CREATE CLUSTERED INDEX ix_seen ON #seen (Id);
END
SELECT TOP (1) Id FROM @q;
GO
CREATE TYPE [dbo].[IdList] AS TABLE ([Id] int NOT NULL, INDEX [IX_IdList] NONCLUSTERED ([Id]))
GO
CREATE TABLE [dbo].[LiveCalls] (
	[CallId] bigint NOT NULL PRIMARY KEY NONCLUSTERED  ,
	[Agent] int NOT NULL,
	[Queued] datetime2(7) NOT NULL


) ;
CREATE NONCLUSTERED INDEX [IX_LiveCalls_Agent] ON [dbo].[LiveCalls] ([Agent]);
CREATE NONCLUSTERED INDEX [IX_LiveCalls_Queued] ON [dbo].[LiveCalls] ([Queued]);
CREATE NONCLUSTERED INDEX [IX_LiveCalls_AgentQueued] ON [dbo].[LiveCalls] ([Agent], [Queued]);
GO
SELECT [Index] FROM dbo.CallQueue WITH (INDEX (IX_CallQueue_Agent))
GO
