-- test: target=2019
CREATE STATISTICS [st_Calls_Number] ON [dbo].[Calls]([Number]) 
GO
CREATE STATISTICS st_Calls_2 ON dbo.Calls (Started, Number) WITH FULLSCAN;
GO
UPDATE STATISTICS dbo.Calls st_Calls_2 WITH SAMPLE 50 PERCENT, NORECOMPUTE;
GO
UPDATE dbo.Calls SET AUTO_DROP = 1 WHERE Number = N'x';
GO
