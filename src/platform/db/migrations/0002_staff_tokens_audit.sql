-- Staff accounts, sign-in sessions, API tokens, rate-limit counters and the audit log.

CREATE TABLE app_user (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'cashier')),
  -- Stores the person works in; empty means every store.
  store_ids uuid[] NOT NULL DEFAULT '{}',
  disabled_at timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (merchant_id, id)
);
-- One sign-in email for one person, whichever merchant they work for.
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE UNIQUE INDEX app_user_one_owner ON app_user (merchant_id) WHERE role = 'owner';

CREATE TABLE user_session (
  -- SHA-256 of the cookie's secret: a stolen table does not give working sessions.
  id_hash text PRIMARY KEY,
  merchant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  FOREIGN KEY (merchant_id, user_id) REFERENCES app_user (merchant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_session_user_idx ON user_session (merchant_id, user_id);

CREATE TABLE api_token (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The first characters of the secret, to tell tokens apart in lists; the secret itself is only hashed.
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);

-- Fixed-window counters shared by every process (sign-in attempts, API token requests).
CREATE TABLE rate_limit_counter (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL
);

CREATE TABLE audit_event (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
  actor_id uuid,
  actor_name text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid,
  -- For an update: {"field": {"from": old, "to": new}}; for other actions, what was done (filters, counts).
  changes jsonb,
  request_id text,
  ip text,
  PRIMARY KEY (merchant_id, id)
);
CREATE INDEX audit_event_time_idx ON audit_event (merchant_id, occurred_at DESC, id DESC);
CREATE INDEX audit_event_entity_idx ON audit_event (merchant_id, entity_type, entity_id, occurred_at DESC);
CREATE INDEX audit_event_actor_idx ON audit_event (merchant_id, actor_id, occurred_at DESC);
CREATE INDEX audit_event_action_idx ON audit_event (merchant_id, action, occurred_at DESC);

-- Audit events are written once and never changed or removed, whoever asks.
CREATE FUNCTION audit_event_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_immutable();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_immutable();

ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON app_user
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE user_session ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON user_session
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE api_token ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON api_token
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON audit_event
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

GRANT SELECT, INSERT, UPDATE ON app_user TO patron_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON user_session, api_token TO patron_app;
GRANT SELECT, INSERT ON audit_event TO patron_app;
