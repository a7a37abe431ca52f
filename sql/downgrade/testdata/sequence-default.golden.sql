-- test: target=2008
CREATE SEQUENCE [dbo].[TicketNumbers] AS [int] START WITH 1000 INCREMENT BY 1
GO
CREATE TABLE [dbo].[Tickets](
	[TicketNo] [int] NOT NULL,
	[Alt] [int] NULL,
	[Subject] [nvarchar](200) NOT NULL,
	[Code] [varchar](24) NOT NULL,
 CONSTRAINT [PK_Tickets] PRIMARY KEY CLUSTERED ([TicketNo])
)
GO

GO

GO

GO
INSERT INTO [dbo].[Tickets] ([TicketNo], [Subject]) VALUES (NEXT VALUE FOR [dbo].[TicketNumbers], N'x')
GO
