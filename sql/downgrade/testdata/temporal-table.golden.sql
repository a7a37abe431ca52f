CREATE TABLE [dbo].[CallsHistory](
	[Id] [int] NOT NULL,
	[Caller] [nvarchar](100) NULL,
	[ValidFrom] [datetime2](7) NOT NULL,
	[ValidTo] [datetime2](7) NOT NULL
) ON [PRIMARY]
WITH
(
DATA_COMPRESSION = PAGE
)
GO
CREATE TABLE [dbo].[Calls](
	[Id] [int] IDENTITY(1,1) NOT NULL,
	[Caller] [nvarchar](100) NULL,
	[ValidFrom] [datetime2](7) DEFAULT SYSUTCDATETIME() NOT NULL,
	[ValidTo] [datetime2](7) DEFAULT '9999-12-31 23:59:59.9999999' NOT NULL,
 CONSTRAINT [PK_Calls] PRIMARY KEY CLUSTERED 
(
	[Id] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]

) ON [PRIMARY]




GO



GO
