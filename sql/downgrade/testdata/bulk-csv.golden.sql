-- test: target=2016
BULK INSERT dbo.Import FROM 'C:\Import\users.csv' WITH (FORMAT = 'CSV', FIELDQUOTE = '"', FIRSTROW = 2)
GO
BULK INSERT dbo.Import FROM 'C:\Import\users.txt' WITH (FIELDTERMINATOR = ';', ROWTERMINATOR = '\n')
GO
SELECT FORMAT(GETDATE(), 'yyyy') AS y
GO
