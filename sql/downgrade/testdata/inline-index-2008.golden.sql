-- test: target=2008
CREATE TABLE [dbo].[CallStats] (
	[Day] date NOT NULL,
	[Calls] int NOT NULL

)
GO
CREATE TABLE [dbo].[LiveCalls] (
	[CallId] bigint NOT NULL PRIMARY KEY NONCLUSTERED,
	[Agent] int NOT NULL


) ;
CREATE NONCLUSTERED INDEX [IX_LiveCalls_Agent] ON [dbo].[LiveCalls] ([Agent]);
GO
