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

-- Row-level security hides the current merchant's rows behind a security barrier, and operators that
-- are not leakproof (LIKE, @@, trigram similarity) may not be evaluated before it: under RLS no
-- search index could be used and every search would scan the table. This function runs as the table
-- owner instead, and always for app_current_merchant(): the caller cannot name another merchant.
-- EXECUTE plans each query with its actual values, so a LIKE 'prefix%' can use its index.
CREATE FUNCTION search_customer_ids(p_whole text, p_words text[], p_digits text[], p_email text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  prefix_query tsquery;
  whole_query tsquery;
  digit_filter text := '';
  branches text[] := ARRAY[]::text[];
BEGIN
  IF m IS NULL OR p_whole IS NULL OR p_whole = '' THEN
    RETURN;
  END IF;
  branches := array_append(branches, 'SELECT id, 0 AS rank FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND (lower(code) = lower($2) OR lower(email) = lower($2))');
  IF p_email IS NOT NULL THEN
    branches := array_append(branches, 'SELECT id, 1 FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND lower(email) LIKE $3 LIMIT 2000');
  END IF;
  IF position(' ' IN p_whole) = 0 AND length(p_whole) >= 2 THEN
    branches := array_append(branches, 'SELECT id, 2 FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND lower(code) LIKE $4 LIMIT 2000');
    -- An email typed without its @ yet: "jsmith" is the start of jsmith@example.com.
    IF p_email IS NULL AND length(p_whole) >= 3 AND coalesce(array_length(p_digits, 1), 0) = 0 THEN
      branches := array_append(branches, 'SELECT id, 2 FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
        AND lower(email) LIKE $4 LIMIT 2000');
    END IF;
  END IF;
  IF coalesce(array_length(p_digits, 1), 0) > 0 THEN
    SELECT string_agg(format(' AND phone_digits LIKE %L', '%' || d || '%'), '') INTO digit_filter FROM unnest(p_digits) AS d;
  END IF;
  IF coalesce(array_length(p_words, 1), 0) > 0 THEN
    SELECT string_agg(quote_literal(patron_fold(w)) || ':*', ' & ')::tsquery,
           string_agg(quote_literal(patron_fold(w)), ' & ')::tsquery
      INTO prefix_query, whole_query
      FROM unnest(p_words) AS w WHERE patron_fold(w) <> '';
    IF prefix_query IS NOT NULL THEN
      branches := array_append(branches, format('SELECT id, CASE WHEN search_names @@ %L::tsquery THEN 1 ELSE 2 END FROM customer
        WHERE merchant_id = $1 AND deleted_at IS NULL AND search_names @@ %L::tsquery %s LIMIT 2000',
        whole_query, prefix_query, digit_filter));
    END IF;
  ELSIF digit_filter <> '' THEN
    branches := array_append(branches, format('SELECT id, CASE WHEN (%L || phone_digits || %L) LIKE %L THEN 0 ELSE 1 END FROM customer
      WHERE merchant_id = $1 AND deleted_at IS NULL %s LIMIT 2000',
      ' ', ' ', '% ' || p_digits[1] || ' %', digit_filter));
  END IF;
  RETURN QUERY EXECUTE format(
    'WITH candidates AS MATERIALIZED ((%s)),
          best AS (SELECT c.id, min(c.rank) AS rank FROM candidates c GROUP BY c.id)
     SELECT best.id, best.rank::integer
     FROM best
     JOIN customer cu ON cu.merchant_id = $1 AND cu.id = best.id
     LEFT JOIN customer_stats s ON s.merchant_id = $1 AND s.customer_id = best.id
     ORDER BY best.rank, coalesce(s.last_order_at, cu.updated_at) DESC, best.id
     LIMIT $5',
    array_to_string(branches, ') UNION ALL ('))
  USING m, p_whole, p_email || '%', replace(replace(replace(lower(p_whole), '\', '\\'), '%', '\%'), '_', '\_') || '%', p_limit;
END
$fn$;

-- Nothing matched as typed: names within a typo or two (word similarity), most similar first.
CREATE FUNCTION search_customer_ids_fuzzy(p_text text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.3
AS $fn$
DECLARE
  m uuid := app_current_merchant();
BEGIN
  IF m IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE
    'SELECT c.id, 3 FROM customer c
     WHERE c.merchant_id = $1 AND c.deleted_at IS NULL AND patron_fold($2) <% c.search_text
     ORDER BY patron_fold($2) <<-> c.search_text, c.updated_at DESC, c.id
     LIMIT $3'
  USING m, p_text, p_limit;
END
$fn$;

REVOKE ALL ON FUNCTION search_customer_ids(text, text[], text[], text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION search_customer_ids_fuzzy(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_customer_ids(text, text[], text[], text, integer) TO patron_app;
GRANT EXECUTE ON FUNCTION search_customer_ids_fuzzy(text, integer) TO patron_app;
