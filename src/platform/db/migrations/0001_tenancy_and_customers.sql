-- Merchants, stores, customer groups, customers and their notes.
-- Every table carries merchant_id first in every key; row-level security keeps a request
-- (running as the role patron_app with app.merchant_id set) inside its own merchant.

-- Roles belong to the whole server: another database on it may have made patron_app already, and a
-- user without CREATEROLE may still use it once granted.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'patron_app') THEN
    CREATE ROLE patron_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

-- The connecting role switches to patron_app for every request; it must be a member.
DO $$
BEGIN
  EXECUTE format('GRANT patron_app TO %I', current_user);
EXCEPTION WHEN others THEN
  -- Already a member, or a superuser (who may SET ROLE to anyone).
  NULL;
END
$$;

-- The merchant a request runs for; NULL (and so no rows) when none was set.
CREATE FUNCTION app_current_merchant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.merchant_id', true), '')::uuid $$;

CREATE TABLE merchant (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency char(3) NOT NULL DEFAULT 'USD',
  default_country char(2) NOT NULL DEFAULT 'US',
  time_zone text NOT NULL DEFAULT 'UTC',
  require_first_name boolean NOT NULL DEFAULT false,
  require_last_name boolean NOT NULL DEFAULT false,
  require_email boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE store (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('pos', 'ecommerce', 'backoffice')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);

CREATE TABLE customer_group (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX customer_group_name_key ON customer_group (merchant_id, lower(name));
CREATE UNIQUE INDEX customer_group_one_default ON customer_group (merchant_id) WHERE is_default;

-- Generated customer codes come from one sequence, so they never collide with each other.
CREATE SEQUENCE customer_code_seq START 100001;

CREATE TABLE customer (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  code text NOT NULL DEFAULT ('C' || nextval('customer_code_seq')::text),
  first_name text,
  last_name text,
  company_name text,
  email text,
  phone text,
  phone_e164 text,
  mobile text,
  mobile_e164 text,
  website text,
  twitter text,
  -- Year-less birthdays are allowed: the year is optional, month and day come together.
  birth_year smallint CHECK (birth_year BETWEEN 1850 AND 9999),
  birth_month smallint CHECK (birth_month BETWEEN 1 AND 12),
  birth_day smallint CHECK (birth_day BETWEEN 1 AND 31),
  physical_line1 text,
  physical_line2 text,
  physical_suburb text,
  physical_city text,
  physical_state text,
  physical_postcode text,
  physical_country char(2),
  postal_line1 text,
  postal_line2 text,
  postal_suburb text,
  postal_city text,
  postal_state text,
  postal_postcode text,
  postal_country char(2),
  note text,
  tax_exempt boolean NOT NULL DEFAULT false,
  sales_tax_number text,
  email_marketing boolean NOT NULL DEFAULT false,
  sms_marketing boolean NOT NULL DEFAULT false,
  loyalty_opt_in boolean NOT NULL DEFAULT false,
  group_id uuid NOT NULL,
  created_store_id uuid,
  source text NOT NULL CHECK (source IN ('pos', 'ecommerce', 'backoffice', 'import', 'api')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  erased_at timestamptz,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, group_id) REFERENCES customer_group (merchant_id, id),
  FOREIGN KEY (merchant_id, created_store_id) REFERENCES store (merchant_id, id),
  CHECK ((birth_month IS NULL) = (birth_day IS NULL)),
  CHECK (birth_year IS NULL OR birth_month IS NOT NULL),
  CHECK (NOT tax_exempt OR sales_tax_number IS NOT NULL),
  CHECK (first_name IS NOT NULL OR last_name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR mobile IS NOT NULL OR erased_at IS NOT NULL)
);
-- Codes and emails are unique among live customers, compared case-insensitively.
CREATE UNIQUE INDEX customer_code_key ON customer (merchant_id, lower(code)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customer_email_key ON customer (merchant_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
-- The default list order: newest first.
CREATE INDEX customer_created_idx ON customer (merchant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customer_group_idx ON customer (merchant_id, group_id);

CREATE TABLE customer_note (
  merchant_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  author_name text NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id)
);
CREATE INDEX customer_note_customer_idx ON customer_note (merchant_id, customer_id, created_at DESC);

-- Row-level security: patron_app sees only the rows of app_current_merchant().
ALTER TABLE merchant ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON merchant
  USING (id = app_current_merchant()) WITH CHECK (id = app_current_merchant());

ALTER TABLE store ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON store
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

ALTER TABLE customer_group ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer_group
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

ALTER TABLE customer_note ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer_note
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

GRANT SELECT, UPDATE ON merchant TO patron_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON store, customer_group, customer, customer_note TO patron_app;
GRANT USAGE ON SEQUENCE customer_code_seq TO patron_app;
GRANT EXECUTE ON FUNCTION app_current_merchant() TO patron_app;
