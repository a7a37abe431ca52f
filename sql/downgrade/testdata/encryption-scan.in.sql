-- test: target=2017 source=2019
-- ScriptDom 180.18.1 (the oracle) does not parse SET ENCRYPTION SUSPEND | RESUME
-- at any level, so the statements are dynamic SQL here.
EXEC (N'ALTER DATABASE [XPhone] SET ENCRYPTION SUSPEND')
GO
EXEC (N'ALTER DATABASE [XPhone] SET ENCRYPTION RESUME, AUTO_CLOSE OFF')
GO
ALTER DATABASE [XPhone] SET ENCRYPTION ON
GO
