-- test: target=2008
CREATE TABLE Format (Id int NOT NULL PRIMARY KEY, Parse nvarchar(20) NULL)
GO
CREATE TABLE Choose (Id int NOT NULL, FormatId int NOT NULL REFERENCES Format (Id))
GO
INSERT INTO Choose (Id, FormatId) VALUES (1, 1)
GO
INSERT Format (Id) VALUES (2)
GO
SELECT c.Id FROM Choose (NOLOCK) AS c JOIN Translate (NOLOCK) AS t ON t.Id = c.Id
GO
CREATE VIEW Compress (Id) AS SELECT Id FROM Format
GO
UPDATE Format SET Parse = FORMAT(GETDATE(), 'd') FROM Format (NOLOCK)
GO
SELECT value FROM STRING_SPLIT(N'a,b', N',')
GO
