CREATE PROCEDURE dbo.Fail @n int
AS
	DECLARE @m nvarchar(2048) = FORMATMESSAGE(N'Call %d failed', @n);
	DECLARE @o nvarchar(2048) = FORMATMESSAGE(50001, @n);
	RAISERROR(@m, 16, 1);
GO
