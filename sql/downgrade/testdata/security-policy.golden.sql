CREATE SECURITY POLICY dbo.TenantFilter ADD FILTER PREDICATE dbo.fnTenant(TenantId) ON dbo.Contacts WITH (STATE = ON)
GO
