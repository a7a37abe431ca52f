-- test: target=2016

GO
