:on error exit
SELECT 1
:r testdata/inc/part.sql
SELECT 'after include'
GO
SELECT 'discarded'
:reset
SELECT 'kept'
:listvar
GO 2
  !! dir
:out stdout
SELECT 'before exit'
:exit(SELECT 5)
