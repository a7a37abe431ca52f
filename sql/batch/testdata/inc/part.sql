SELECT 'included'
GO
:setvar FROMINC yes
SELECT '$(FROMINC)'
