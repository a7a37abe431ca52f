:setvar DB xpdata
:SETVAR Greeting "hello ""world"""
USE [$(db)]
SELECT '$(Greeting)', N'$(PRESET)' -- $(DB) in a comment
GO
:setvar DB
SELECT '$(Nope)', '$(not closed'
GO
