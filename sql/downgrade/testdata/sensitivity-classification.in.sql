-- test: target=2017
ADD SENSITIVITY CLASSIFICATION TO [dbo].[Users].[Email] WITH (LABEL = 'Confidential', INFORMATION_TYPE = 'Contact Info')
GO
CREATE TABLE dbo.t (a int);
DROP SENSITIVITY CLASSIFICATION FROM dbo.Users.Phone;
GO
