:setvar DB xpdata
:SETVAR Greeting "hello ""world"""
USE [$(db)]
SELECT '$(Greeting)', N'$(PRESET)' -- $(DB) in a comment is not substituted
GO
:setvar DB
SELECT '$(Nope)'
GO
SELECT 1
SELECT '$(not closed'
SELECT 2
GO
