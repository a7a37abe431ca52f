-- test: target=2017 source=2019
-- ScriptDom 180.18.1 (the oracle) does not parse SET ENCRYPTION SUSPEND | RESUME
-- at any level, so the statements are dynamic SQL here.
EXEC (N'')
GO
EXEC (N'ALTER DATABASE [XPhone] SET AUTO_CLOSE OFF')
GO
ALTER DATABASE [XPhone] SET ENCRYPTION ON
GO
