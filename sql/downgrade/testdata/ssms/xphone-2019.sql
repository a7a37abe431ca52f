USE [master]
GO
/****** Object:  Database [XPhoneConnect]    Script Date: 23.11.2026 05:30:00 ******/
CREATE DATABASE [XPhoneConnect]
 CONTAINMENT = NONE
 ON  PRIMARY 
( NAME = N'XPhoneConnect', FILENAME = N'C:\Program Files\Microsoft SQL Server\MSSQL15.XPHONE\MSSQL\DATA\XPhoneConnect.mdf' , SIZE = 73728KB , MAXSIZE = UNLIMITED, FILEGROWTH = 65536KB ), 
 FILEGROUP [XPhoneFS] CONTAINS FILESTREAM  DEFAULT
( NAME = N'XPhoneConnect_fs', FILENAME = N'C:\Program Files\Microsoft SQL Server\MSSQL15.XPHONE\MSSQL\DATA\XPhoneConnect_fs' , MAXSIZE = UNLIMITED)
 LOG ON 
( NAME = N'XPhoneConnect_log', FILENAME = N'C:\Program Files\Microsoft SQL Server\MSSQL15.XPHONE\MSSQL\DATA\XPhoneConnect_log.ldf' , SIZE = 8192KB , MAXSIZE = 2048GB , FILEGROWTH = 65536KB )
 WITH CATALOG_COLLATION = DATABASE_DEFAULT
GO
ALTER DATABASE [XPhoneConnect] SET COMPATIBILITY_LEVEL = 150
GO
IF (1 = FULLTEXTSERVICEPROPERTY('IsFullTextInstalled'))
begin
EXEC [XPhoneConnect].[dbo].[sp_fulltext_database] @action = 'enable'
end
GO
ALTER DATABASE [XPhoneConnect] SET ANSI_NULL_DEFAULT OFF 
GO
ALTER DATABASE [XPhoneConnect] SET RECOVERY SIMPLE 
GO
ALTER DATABASE [XPhoneConnect] SET  MULTI_USER 
GO
ALTER DATABASE [XPhoneConnect] SET FILESTREAM( NON_TRANSACTED_ACCESS = OFF ) 
GO
ALTER DATABASE [XPhoneConnect] SET TARGET_RECOVERY_TIME = 60 SECONDS 
GO
ALTER DATABASE [XPhoneConnect] SET DELAYED_DURABILITY = DISABLED 
GO
ALTER DATABASE [XPhoneConnect] SET  MIXED_PAGE_ALLOCATION OFF
GO
ALTER DATABASE [XPhoneConnect] SET ACCELERATED_DATABASE_RECOVERY = OFF  
GO
ALTER DATABASE [XPhoneConnect] SET QUERY_STORE = OFF
GO
ALTER DATABASE [XPhoneConnect] SET TEMPORAL_HISTORY_RETENTION ON
GO
ALTER DATABASE [XPhoneConnect] SET AUTOMATIC_TUNING (FORCE_LAST_GOOD_PLAN = ON)
GO
USE [XPhoneConnect]
GO
ALTER DATABASE SCOPED CONFIGURATION SET LEGACY_CARDINALITY_ESTIMATION = Off;
GO
ALTER DATABASE SCOPED CONFIGURATION SET MAXDOP = 0;
GO
ALTER DATABASE SCOPED CONFIGURATION SET PARAMETER_SNIFFING = OFF;
GO
IF NOT EXISTS (SELECT name FROM sys.filegroups WHERE is_default=1 AND name = N'PRIMARY') ALTER DATABASE [XPhoneConnect] MODIFY FILEGROUP [PRIMARY] DEFAULT
GO
ALTER DATABASE [XPhoneConnect] MODIFY FILEGROUP [PRIMARY] AUTOGROW_ALL_FILES
GO
/****** Object:  User [xphone_app]    Script Date: 23.11.2026 05:30:00 ******/
CREATE USER [xphone_app] WITHOUT LOGIN WITH DEFAULT_SCHEMA=[dbo]
GO
ALTER ROLE [db_datareader] ADD MEMBER [xphone_app]
GO
ALTER ROLE [db_datawriter] ADD MEMBER [xphone_app]
GO
/****** Object:  Table [dbo].[Users]    Script Date: 23.11.2026 05:30:00 ******/
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE TABLE [dbo].[Users](
	[UserId] [int] IDENTITY(1,1) NOT NULL,
	[Login] [nvarchar](100) NOT NULL,
	[FirstName] [nvarchar](100) NULL,
	[LastName] [nvarchar](100) NULL,
	[DisplayName]  AS (concat([FirstName],N' ',[LastName])) PERSISTED,
	[Email] [nvarchar](256) NULL,
	[Extension] [varchar](32) NULL,
	[Created] [datetime2](7) NOT NULL,
 CONSTRAINT [PK_Users] PRIMARY KEY CLUSTERED 
(
	[UserId] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
) ON [PRIMARY]
GO
/****** Object:  Table [dbo].[Attachments]    Script Date: 23.11.2026 05:30:00 ******/
CREATE TABLE [dbo].[Attachments](
	[AttachmentId] [uniqueidentifier] ROWGUIDCOL  NOT NULL,
	[UserId] [int] NOT NULL,
	[FileName] [nvarchar](260) NOT NULL,
	[Content] [varbinary](max) FILESTREAM  NULL,
 CONSTRAINT [PK_Attachments] PRIMARY KEY CLUSTERED 
(
	[AttachmentId] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
) ON [PRIMARY] FILESTREAM_ON [XPhoneFS]
GO
/****** Object:  Table [dbo].[CallJournalHistory]    Script Date: 23.11.2026 05:30:00 ******/
CREATE TABLE [dbo].[CallJournalHistory](
	[CallId] [bigint] NOT NULL,
	[UserId] [int] NOT NULL,
	[Number] [varchar](64) NOT NULL,
	[Direction] [tinyint] NOT NULL,
	[Started] [datetime2](7) NOT NULL,
	[DurationSec] [int] NOT NULL,
	[ValidFrom] [datetime2](7) NOT NULL,
	[ValidTo] [datetime2](7) NOT NULL
) ON [PRIMARY]
GO
/****** Object:  Index [ix_CallJournalHistory]    Script Date: 23.11.2026 05:30:00 ******/
CREATE CLUSTERED INDEX [ix_CallJournalHistory] ON [dbo].[CallJournalHistory]
(
	[ValidTo] ASC,
	[ValidFrom] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, SORT_IN_TEMPDB = OFF, DROP_EXISTING = OFF, ONLINE = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
GO
/****** Object:  Table [dbo].[CallJournal]    Script Date: 23.11.2026 05:30:00 ******/
CREATE TABLE [dbo].[CallJournal](
	[CallId] [bigint] IDENTITY(1,1) NOT NULL,
	[UserId] [int] NOT NULL,
	[Number] [varchar](64) NOT NULL,
	[Direction] [tinyint] NOT NULL,
	[Started] [datetime2](7) NOT NULL,
	[DurationSec] [int] NOT NULL,
	[ValidFrom] [datetime2](7) GENERATED ALWAYS AS ROW START NOT NULL,
	[ValidTo] [datetime2](7) GENERATED ALWAYS AS ROW END NOT NULL,
 CONSTRAINT [PK_CallJournal] PRIMARY KEY CLUSTERED 
(
	[CallId] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY],
	PERIOD FOR SYSTEM_TIME ([ValidFrom], [ValidTo])
) ON [PRIMARY]
WITH
(
SYSTEM_VERSIONING = ON ( HISTORY_TABLE = [dbo].[CallJournalHistory] )
)
GO
/****** Object:  Index [IX_CallJournal_User]    Script Date: 23.11.2026 05:30:00 ******/
CREATE NONCLUSTERED INDEX [IX_CallJournal_User] ON [dbo].[CallJournal]
(
	[UserId] ASC,
	[Started] DESC
)
INCLUDE([Number]) WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, SORT_IN_TEMPDB = OFF, DROP_EXISTING = OFF, ONLINE = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
GO
ALTER TABLE [dbo].[Users] ADD  CONSTRAINT [DF_Users_Created]  DEFAULT (sysutcdatetime()) FOR [Created]
GO
ALTER TABLE [dbo].[Attachments] ADD  DEFAULT (newsequentialid()) FOR [AttachmentId]
GO
ALTER TABLE [dbo].[Attachments]  WITH CHECK ADD  CONSTRAINT [FK_Attachments_Users] FOREIGN KEY([UserId])
REFERENCES [dbo].[Users] ([UserId])
GO
ALTER TABLE [dbo].[CallJournal]  WITH CHECK ADD  CONSTRAINT [FK_CallJournal_Users] FOREIGN KEY([UserId])
REFERENCES [dbo].[Users] ([UserId])
GO
/****** Object:  View [dbo].[vUserGroups]    Script Date: 23.11.2026 05:30:00 ******/
CREATE OR ALTER VIEW [dbo].[vUserCalls]
AS
SELECT u.UserId, u.DisplayName, COUNT(c.CallId) AS Calls
FROM dbo.Users AS u
LEFT JOIN dbo.CallJournal AS c ON c.UserId = u.UserId
GROUP BY u.UserId, u.DisplayName
GO
CREATE OR ALTER VIEW [dbo].[vUserNumbers]
AS
SELECT u.UserId, STRING_AGG(c.Number, N', ') AS Numbers
FROM dbo.Users AS u
JOIN dbo.CallJournal AS c ON c.UserId = u.UserId
GROUP BY u.UserId
GO
/****** Object:  StoredProcedure [dbo].[FindUser]    Script Date: 23.11.2026 05:30:00 ******/
CREATE OR ALTER PROCEDURE [dbo].[FindUser]
	@Search nvarchar(100)
AS
BEGIN
	SET NOCOUNT ON;
	-- TRIM( in a comment is not a call; 'STRING_SPLIT(' in a string neither
	SELECT UserId, DisplayName
	FROM dbo.Users
	WHERE Login = TRIM(@Search) OR Email = @Search;
END
GO
CREATE OR ALTER PROCEDURE [dbo].[PurgeJournal]
	@Before datetime2
AS
BEGIN
	SET NOCOUNT ON;
	DELETE FROM dbo.CallJournal WHERE Started < @Before;
	DROP TABLE IF EXISTS #stale;
END
GO
CREATE OR ALTER FUNCTION [dbo].[UserTags](@UserId int)
RETURNS TABLE
AS
RETURN (SELECT value AS Tag FROM STRING_SPLIT((SELECT Extension FROM dbo.Users WHERE UserId = @UserId), N','))
GO
CREATE OR ALTER TRIGGER [dbo].[trUsersAudit] ON [dbo].[Users] AFTER UPDATE
AS
BEGIN
	SET NOCOUNT ON;
END
GO
DROP PROCEDURE IF EXISTS [dbo].[OldImport], [dbo].[OldExport]
GO
/****** Object:  View [dbo].[vCallStats]    Script Date: 23.11.2026 05:30:00 ******/
IF NOT EXISTS (SELECT * FROM sys.views WHERE object_id = OBJECT_ID(N'[dbo].[vCallStats]'))
EXEC dbo.sp_executesql @statement = N'CREATE VIEW [dbo].[vCallStats]
AS
SELECT c.UserId, COUNT_BIG(*) AS Calls, IIF(SUM(c.DurationSec) > 3600, N''long'', N''short'') AS Talk
FROM dbo.CallJournal AS c
GROUP BY c.UserId
' 
GO
/****** Object:  StoredProcedure [dbo].[ImportCalls]    Script Date: 23.11.2026 05:30:00 ******/
IF NOT EXISTS (SELECT * FROM sys.objects WHERE object_id = OBJECT_ID(N'[dbo].[ImportCalls]') AND type in (N'P', N'PC'))
BEGIN
EXEC dbo.sp_executesql @statement = N'CREATE PROCEDURE [dbo].[ImportCalls] AS' 
END
GO
ALTER PROCEDURE [dbo].[ImportCalls]
	@UserId int
AS
BEGIN
	SET NOCOUNT ON;
	DROP TABLE IF EXISTS #import;
	IF NOT EXISTS (SELECT 1 FROM dbo.Users WHERE UserId = @UserId)
	BEGIN
		DECLARE @msg nvarchar(2048) = FORMATMESSAGE(N'User %d does not exist', @UserId);
		RAISERROR(@msg, 16, 1);
		RETURN;
	END
	EXEC dbo.sp_executesql @statement = N'DROP TABLE IF EXISTS dbo.ImportStage';
END
GO
SET IDENTITY_INSERT [dbo].[Users] ON 
GO
INSERT [dbo].[Users] ([UserId], [Login], [FirstName], [LastName], [Email], [Extension], [Created]) VALUES (1, N'jdoe', N'John', N'Doe', N'jdoe@example.com', N'201', CAST(N'2024-01-02T08:00:00.0000000' AS DateTime2))
INSERT [dbo].[Users] ([UserId], [Login], [FirstName], [LastName], [Email], [Extension], [Created]) VALUES (2, N'mmuster', N'Max', N'Muster', N'max@example.com', N'202', CAST(N'2024-01-03T08:00:00.0000000' AS DateTime2))
INSERT [dbo].[Users] ([UserId], [Login], [FirstName], [LastName], [Email], [Extension], [Created]) VALUES (3, N'trim', N'CREATE OR ALTER', N'STRING_AGG(', NULL, N'203', CAST(N'2024-01-04T08:00:00.0000000' AS DateTime2))
GO
SET IDENTITY_INSERT [dbo].[Users] OFF
GO
SET IDENTITY_INSERT [dbo].[CallJournal] ON 
GO
INSERT [dbo].[CallJournal] ([CallId], [UserId], [Number], [Direction], [Started], [DurationSec]) VALUES (1, 1, N'+4989123456', 1, CAST(N'2024-01-02T09:00:00.0000000' AS DateTime2), 125)
INSERT [dbo].[CallJournal] ([CallId], [UserId], [Number], [Direction], [Started], [DurationSec]) VALUES (2, 2, N'203', 2, CAST(N'2024-01-02T09:05:00.0000000' AS DateTime2), 40)
GO
SET IDENTITY_INSERT [dbo].[CallJournal] OFF
GO
USE [master]
GO
ALTER DATABASE [XPhoneConnect] SET  READ_WRITE 
GO
