-- A manager's approval at the till: a cashier who may not cancel a sale or refund items asks a manager, who types
-- their own email and password on the cashier's screen. The approval is for one permission on one record (the
-- sale), one action, by that cashier, within two minutes; only its hash is kept. An action that fails gives it
-- back. Who approved goes into the audit entry of the action.
CREATE TABLE approval (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id_hash text NOT NULL,
  permission text NOT NULL,
  -- The record the action is on (the sale): the approval is for it and no other.
  record_id uuid NOT NULL,
  approver_id uuid NOT NULL,
  approver_name text NOT NULL,
  -- The person who asked: nobody else may use it.
  requested_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (merchant_id, id_hash)
);
ALTER TABLE approval ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON approval
  USING (merchant_id = (SELECT app_current_merchant())) WITH CHECK (merchant_id = (SELECT app_current_merchant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON approval TO patron_app;
