-- test: target=2016 source=2019
ALTER DATABASE [XPhone] SET QUERY_STORE = ON (OPERATION_MODE = READ_WRITE, MAX_STORAGE_SIZE_MB = 1000)
GO

GO
ALTER DATABASE [XPhone] SET QUERY_STORE = ON 
GO
-- ScriptDom 180.18.1 (the oracle) parses neither QUERY_CAPTURE_MODE = CUSTOM nor
-- QUERY_CAPTURE_POLICY at any level, so these statements are dynamic SQL here:
-- the rules read the statement inside EXEC (N'...') as they read a batch.
EXEC (N'ALTER DATABASE [XPhone] SET QUERY_STORE = ON (QUERY_CAPTURE_MODE = AUTO)')
GO
EXEC (N'')
GO
