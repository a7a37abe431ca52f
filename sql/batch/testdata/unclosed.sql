SELECT 'ok'
GO
SELECT 'a', 'unclosed
GO
