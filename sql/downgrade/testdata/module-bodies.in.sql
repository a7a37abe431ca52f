CREATE PROCEDURE dbo.Report
AS
BEGIN
	SELECT u.Name,
		STRING_AGG(g.Name, ', ') WITHIN GROUP (ORDER BY g.Name) AS Groups,
		TRIM(u.Email) AS Email, CONCAT_WS(' ', u.First, u.Last) AS FullName,
		TRANSLATE(u.Phone, '()', '[]') AS Phone,
		GREATEST(u.a, u.b) AS g, LEAST(u.a, u.b) AS l,
		DATE_BUCKET(WEEK, 1, u.Created) AS wk,
		APPROX_COUNT_DISTINCT(u.Id) OVER () AS n,
		JSON_VALUE(u.Props, '$.a') AS a, JSON_QUERY(u.Props, '$.b') AS b, ISJSON(u.Props) AS j,
		u.Created AT TIME ZONE 'UTC' AS CreatedUtc
	FROM dbo.Users AS u
	CROSS APPLY STRING_SPLIT(u.Tags, ',') AS t
	CROSS APPLY OPENJSON(u.Props) AS p
	CROSS APPLY GENERATE_SERIES(1, 3) AS s
	JOIN dbo.Groups AS g ON g.Id = u.GroupId
	WHERE u.a IS DISTINCT FROM u.b OR u.c IS NOT DISTINCT FROM NULL
	WINDOW w AS (PARTITION BY u.GroupId)
	FOR JSON PATH;
	THROW 50000, 'done', 1;
END
GO
CREATE VIEW dbo.vNext AS SELECT NEXT VALUE FOR dbo.Seq AS n
GO
CREATE SEQUENCE dbo.Seq START WITH 1
GO
