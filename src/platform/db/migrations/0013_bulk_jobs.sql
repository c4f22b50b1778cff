-- Bulk work as background jobs: an import (and later modify, delete, large export) is a job row the UI
-- follows, its uploaded file kept in the database (so any process can work on it), and its rows staged
-- with what each will do before anything is written. The queue that runs the jobs is graphile-worker's
-- (its own schema, created on start); these tables are Patron's record of the work.

-- Time-ordered ids (UUID version 7, RFC 9562) made in SQL, for rows created set-wise (imported customers
-- and groups): the same kind of key the application makes.
CREATE FUNCTION uuid_v7() RETURNS uuid
  LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
GRANT EXECUTE ON FUNCTION uuid_v7() TO patron_app;

CREATE TABLE bulk_job (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('import', 'modify', 'delete', 'export')),
  -- validating → validated → committing → done; or failed / cancelled on the way.
  status text NOT NULL CHECK (status IN ('validating', 'validated', 'committing', 'done', 'failed', 'cancelled')),
  file_name text,
  file_size bigint,
  -- What the person chose: column mapping, date order, how rows are matched, commit mode…
  options jsonb NOT NULL DEFAULT '{}',
  -- What the file turned out to be: encoding, delimiter, layout, headers and how each was mapped.
  file_info jsonb,
  rows_total integer,
  rows_done integer NOT NULL DEFAULT 0,
  -- The dry run's counts and first rejected rows; after the commit, what was written.
  summary jsonb,
  error text,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_by_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);
CREATE INDEX bulk_job_recent_idx ON bulk_job (merchant_id, created_at DESC, id DESC);
-- The sweep that restarts work a stopped process left behind.
CREATE INDEX bulk_job_running_idx ON bulk_job (status, updated_at) WHERE status IN ('validating', 'committing');

-- Files of a job (the upload, the error file), in chunks of up to 1 MiB.
CREATE TABLE bulk_job_file (
  merchant_id uuid NOT NULL,
  job_id uuid NOT NULL,
  name text NOT NULL CHECK (name IN ('upload', 'errors')),
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (merchant_id, job_id, name, seq),
  FOREIGN KEY (merchant_id, job_id) REFERENCES bulk_job (merchant_id, id) ON DELETE CASCADE
);

-- One row of an import file, checked: what it will do (create, skip, reject) and why, the customer it
-- becomes (columns as the customer table names them), and the row as it was (for the error file).
CREATE TABLE import_row (
  merchant_id uuid NOT NULL,
  job_id uuid NOT NULL,
  line integer NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'skip', 'reject')),
  -- [{column, field, reason}]
  problems jsonb,
  raw text[] NOT NULL,
  customer jsonb,
  email_key text,
  code_key text,
  group_name text,
  loyalty_points bigint,
  store_credit bigint,
  PRIMARY KEY (merchant_id, job_id, line),
  FOREIGN KEY (merchant_id, job_id) REFERENCES bulk_job (merchant_id, id) ON DELETE CASCADE
);
CREATE INDEX import_row_email_idx ON import_row (merchant_id, job_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX import_row_code_idx ON import_row (merchant_id, job_id, code_key) WHERE code_key IS NOT NULL;

ALTER TABLE bulk_job ENABLE ROW LEVEL SECURITY;
ALTER TABLE bulk_job_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON bulk_job
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON bulk_job_file
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON import_row
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
GRANT SELECT, INSERT, UPDATE ON bulk_job TO patron_app;
GRANT SELECT, INSERT, DELETE ON bulk_job_file, import_row TO patron_app;
GRANT UPDATE ON import_row TO patron_app;
