CREATE TABLE t (a int)
GO
INSERT t VALUES (1)
go 3
  Go	-- third
SELECT 1
SELECT 2