SELECT 1
GO x
:frobnicate
GO 0
:r testdata/errors.sql
SELECT 2
exit
