-- test: target=2014
CREATE TABLE [dbo].[Calls] (
	[CallId] bigint NOT NULL,
	[Agent] int NOT NULL INDEX [IX_Calls_Agent] NONCLUSTERED,
	[Number] varchar(32) NULL,
	[Notes] nvarchar(400) NULL,
	INDEX [UX_Calls_CallId] UNIQUE CLUSTERED ([CallId]),
	INDEX [IX_Calls_Number] NONCLUSTERED ([Number]) WHERE [Number] IS NOT NULL,
	INDEX [IX_Calls_AgentNotes] NONCLUSTERED ([Agent]) INCLUDE ([Notes]) WITH (STATISTICS_INCREMENTAL = OFF)
);
GO
CREATE TABLE [dbo].[Sessions] (
	[SessionId] uniqueidentifier NOT NULL PRIMARY KEY NONCLUSTERED,
	[UserId] int NOT NULL,
	INDEX [IX_Sessions_User] NONCLUSTERED ([UserId]),
	INDEX [UX_Sessions_User] UNIQUE NONCLUSTERED ([UserId])
) WITH (MEMORY_OPTIMIZED = ON, DURABILITY = SCHEMA_ONLY)
GO
