-- test: target=2014
sp_set_session_context N'tenant', 42
GO
EXEC sys.sp_set_session_context @key = N'user_id', @value = 4, @read_only = 1;
GO
CREATE PROCEDURE dbo.usp_SetUser @id int AS
BEGIN
	DECLARE @rc int;
	EXECUTE @rc = [sys].[sp_set_session_context] N'user_id', @id;
	SELECT N'sp_set_session_context' AS name, dbo.sp_set_session_context_log(1) AS x;
END
GO
