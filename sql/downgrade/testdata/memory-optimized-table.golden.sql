-- test: target=2012
CREATE DATABASE [XPhoneMem] ON PRIMARY
( NAME = N'XPhoneMem', FILENAME = N'D:\Data\XPhoneMem.mdf' ),
FILEGROUP [XPhoneMem_mod] 
( NAME = N'XPhoneMem_mod1', FILENAME = N'D:\Data\XPhoneMem_mod1' )
LOG ON ( NAME = N'XPhoneMem_log', FILENAME = N'D:\Data\XPhoneMem_log.ldf' )
GO
ALTER DATABASE [XPhoneMem] ADD FILEGROUP [XPhoneMem_mod2] 
GO
ALTER DATABASE [XPhoneMem] ADD FILE ( NAME = N'XPhoneMem_mod2', FILENAME = N'D:\Data\XPhoneMem_mod2' ) TO FILEGROUP [XPhoneMem_mod2]
GO

GO
CREATE TABLE [dbo].[SessionState](
	[SessionId] [uniqueidentifier] NOT NULL,
	[UserId] [int] NOT NULL,
	[Payload] [varbinary](8000) NULL,
 CONSTRAINT [PK_SessionState] PRIMARY KEY NONCLUSTERED  ([SessionId]) 
)
GO
CREATE TABLE [dbo].[CallQueue](
	[CallId] [bigint] NOT NULL PRIMARY KEY NONCLUSTERED  ,
	[Queued] [datetime2](7) NOT NULL
) 
GO
CREATE TYPE [dbo].[CallIdList] AS TABLE(
	[CallId] [bigint] NOT NULL,
	PRIMARY KEY NONCLUSTERED  ([CallId]) 
)

GO
SELECT CallId FROM dbo.CallQueue  INNER HASH JOIN dbo.Calls c ON c.Id = CallId OPTION (HASH GROUP)
GO
SELECT q.CallId FROM dbo.CallQueue AS q WITH ( INDEX(0)) WHERE q.CallId > 0
GO
