GO

   
GO 5
	
GO
SELECT 1

GO

