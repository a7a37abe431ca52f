-- test: target=2008R2
 
GO
