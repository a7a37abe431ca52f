
GO

GO
