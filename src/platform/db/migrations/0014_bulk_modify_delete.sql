-- Bulk modify and bulk delete use the import's staging: a staged row may now update or delete the
-- customer it matched (by record id, customer code or email), with the changes field by field.
ALTER TABLE import_row DROP CONSTRAINT import_row_action_check;
ALTER TABLE import_row
  ADD CONSTRAINT import_row_action_check CHECK (action IN ('create', 'update', 'delete', 'skip', 'reject')),
  -- What the row names its customer by (lower-cased code or email, or the record id).
  ADD COLUMN match_key text,
  -- The customer the row matched.
  ADD COLUMN target_id uuid,
  -- For an update: the new values of the fields that change (customer columns, snake_case), and the
  -- changes as people read them ({field: {from, to}}).
  ADD COLUMN patch jsonb,
  ADD COLUMN changes jsonb;
CREATE INDEX import_row_target_idx ON import_row (merchant_id, job_id, target_id) WHERE target_id IS NOT NULL;
