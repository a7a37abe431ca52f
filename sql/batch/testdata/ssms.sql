USE [XPDATA]
GO
/****** Object:  Table [dbo].[Users]    Script Date: 23.11.2026 05:00:00 ******/
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE TABLE [dbo].[Users](
	[Id] [int] IDENTITY(1,1) NOT NULL,
	[Name] [nvarchar](200) NULL
) ON [PRIMARY]
GO
SET IDENTITY_INSERT [dbo].[Users] ON 

INSERT [dbo].[Users] ([Id], [Name]) VALUES (1, N'Müller')
INSERT [dbo].[Users] ([Id], [Name]) VALUES (2, N'O''Brien
GO
second line')
SET IDENTITY_INSERT [dbo].[Users] OFF
GO
