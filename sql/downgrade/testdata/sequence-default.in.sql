-- test: target=2008
CREATE SEQUENCE [dbo].[TicketNumbers] AS [int] START WITH 1000 INCREMENT BY 1
GO
CREATE TABLE [dbo].[Tickets](
	[TicketNo] [int] NOT NULL CONSTRAINT [DF_Tickets_No] DEFAULT (NEXT VALUE FOR [dbo].[TicketNumbers]),
	[Alt] [int] NULL DEFAULT NEXT VALUE FOR dbo.TicketNumbers,
	[Subject] [nvarchar](200) NOT NULL,
	[Code] [varchar](24) NOT NULL CONSTRAINT [DF_Tickets_Code] DEFAULT ('T-'+CONVERT([varchar](20),NEXT VALUE FOR [dbo].[TicketNumbers])),
 CONSTRAINT [PK_Tickets] PRIMARY KEY CLUSTERED ([TicketNo])
)
GO
ALTER TABLE [dbo].[Tickets] ADD  CONSTRAINT [DF_Tickets_No2] DEFAULT (NEXT VALUE FOR [dbo].[TicketNumbers]) FOR [Alt]
GO
ALTER TABLE [dbo].[Tickets] ADD DEFAULT (NEXT VALUE FOR [dbo].[TicketNumbers]) FOR [TicketNo] WITH VALUES
GO
ALTER TABLE [dbo].[Tickets] ADD  CONSTRAINT [DF_Tickets_Code2] DEFAULT ('T-'+CONVERT([varchar](20),NEXT VALUE FOR [dbo].[TicketNumbers])) FOR [Code]
GO
INSERT INTO [dbo].[Tickets] ([TicketNo], [Subject]) VALUES (NEXT VALUE FOR [dbo].[TicketNumbers], N'x')
GO
