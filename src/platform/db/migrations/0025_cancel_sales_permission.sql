-- Cancelling a sale and refunding items became a permission of their own (`sales:cancel`), held by owners, admins
-- and managers but not cashiers: money going back out of the till is a manager's decision in a shop, and a
-- cashier who could cancel any past sale could also make one disappear. Until now both needed only `sales:write`.
-- API tokens that could record sales keep doing what they did (a register's integration that cancels its own
-- voided sales must not break on upgrade): they get the new permission too. A token still never does more than
-- the role of the person who made it allows (checked on every request), so a cashier's token gains nothing.
UPDATE api_token SET scopes = array_append(scopes, 'sales:cancel')
WHERE 'sales:write' = ANY (scopes) AND NOT 'sales:cancel' = ANY (scopes);
