-- Finding customers: names folded (case and accents) into a full-text vector for word-prefix search,
-- a trigram column for typos, phone digits for any run of digits, prefix indexes for email and code,
-- and the letter a customer is grouped under.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes a wrapper that
-- indexes and generated columns may use. Queries fold with the same function, so ß = ss and José = jose.
CREATE FUNCTION patron_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

ALTER TABLE customer
  ADD COLUMN search_text text GENERATED ALWAYS AS (
    patron_fold(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, ''))
  ) STORED,
  ADD COLUMN search_names tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig,
      patron_fold(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '')))
  ) STORED,
  -- E.164 digits without the +: any run of digits a person types (without its trunk 0) is inside.
  ADD COLUMN phone_digits text GENERATED ALWAYS AS (
    nullif(coalesce(substr(phone_e164, 2), '') || ' ' || coalesce(substr(mobile_e164, 2), ''), ' ')
  ) STORED,
  -- Grouped by the first letter of the surname; without one, of the first name, company or email.
  ADD COLUMN group_key text GENERATED ALWAYS AS (
    CASE WHEN upper(left(patron_fold(coalesce(nullif(last_name, ''), nullif(first_name, ''), nullif(company_name, ''), email, '')), 1)) ~ '^[A-Z]$'
         THEN upper(left(patron_fold(coalesce(nullif(last_name, ''), nullif(first_name, ''), nullif(company_name, ''), email, '')), 1))
         ELSE '#' END
  ) STORED;

CREATE INDEX customer_search_names_idx ON customer USING gin (merchant_id, search_names) WHERE deleted_at IS NULL;
CREATE INDEX customer_search_trgm_idx ON customer USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customer_phone_trgm_idx ON customer USING gin (phone_digits gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customer_email_prefix_idx ON customer (merchant_id, lower(email) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX customer_code_prefix_idx ON customer (merchant_id, lower(code) text_pattern_ops) WHERE deleted_at IS NULL;

GRANT EXECUTE ON FUNCTION patron_fold(text) TO patron_app;
