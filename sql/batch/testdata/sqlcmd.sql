:setvar N 3
:setvar T t1 -- a comment after the value
INSERT $(T) DEFAULT VALUES
GO $(N)
:setvar T t2
SELECT '$(T)' /* $(Undefined) in a comment */
:setvar T t3
GO
SELECT 1
:r testdata/inc/noeol.sql
SELECT 3
GO
on error ignore
SELECT * FROM
  ::fn_helpcollations()
GO
:setvar SQLCMDSERVER other
:setvar NeverSet
reset
SELECT 'dropped'
reset
SELECT 'kept'
GO
exit 5
quit now
EXIT(SELECT $(N))
