-- The merchant's own SMTP server, through which Patron sends receipts and statements to customers.
CREATE TABLE merchant_smtp (
  merchant_id uuid PRIMARY KEY REFERENCES merchant (id),
  host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  -- 'tls' (implicit TLS, usually 465), 'starttls' (upgrade, usually 587), 'none' (local relays only)
  security text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
  username text,
  password text,
  from_address text NOT NULL,
  from_name text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE merchant_smtp ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON merchant_smtp
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
GRANT SELECT, INSERT, UPDATE, DELETE ON merchant_smtp TO patron_app;
