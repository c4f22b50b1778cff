-- Every customer a search matches, for a list that is sorted, counted or exported (docs/benchmarks.md, "Customer
-- list", 2026-11-25).
--
-- A search without a sort is a ranking: the best 2,000 matches, best first (search_customer_ids). A search with a
-- sort ("mar", top spenders first), a count, an export or a bulk change of the customers a search shows took the
-- same 2,000 and sorted or counted those: among the 51,478 customers whose names start with "mar", the top spenders
-- of the 2,000 most recently active, not the top spenders; and it read the statistics of 2,000 customers to rank
-- them first (~100 ms). They now take every match, in one of two ways that give the same customers:
--
-- - gathered: search_customer_matches() reads the matches from the search indexes (as the owner, like
--   search_customer_ids: row-level security keeps those indexes out of a query's reach), unranked, up to a limit;
-- - checked on the way: the list walks the index of its sort (or of a filter) and checks each customer against the
--   terms search_terms() gives, until the page is full. The service chooses by PostgreSQL's estimates of the
--   matches, of the filters' and of all customers (customer.repository.ts, searchMatch).
--
-- A customer matches as search_customer_ids finds them, without typos: a loyalty card, code or email as typed; names
-- whose words start with every word typed (and phones holding every run of digits typed with them); the start of a
-- code (one word of two characters or more), of an email (typed with its @, or one word of three characters or
-- more without digits); phone numbers holding every run of digits typed alone.

CREATE FUNCTION search_terms(p_whole text, p_words text[], p_digits text[], p_email text)
  RETURNS TABLE (
    names tsquery,
    whole_names tsquery,
    typed text,
    code_prefix boolean,
    email_prefix text,
    digit_patterns text[],
    card_customers uuid[]
  )
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  one_word boolean := position(' ' IN p_whole) = 0;
BEGIN
  IF m IS NULL OR p_whole IS NULL OR p_whole = '' THEN
    RETURN;
  END IF;
  typed := lower(p_whole);
  IF coalesce(array_length(p_digits, 1), 0) > 0 THEN
    digit_patterns := ARRAY(SELECT '%' || d || '%' FROM unnest(p_digits) AS d);
  END IF;
  IF coalesce(array_length(p_words, 1), 0) > 0 THEN
    SELECT string_agg(quote_literal(f) || ':*', ' & ')::tsquery, string_agg(quote_literal(f), ' & ')::tsquery
      INTO names, whole_names
      FROM (SELECT patron_fold(w) AS f FROM unnest(p_words) AS w) words WHERE f <> '';
  END IF;
  code_prefix := one_word AND length(p_whole) >= 2;
  email_prefix := CASE
    WHEN p_email IS NOT NULL THEN p_email
    WHEN one_word AND length(p_whole) >= 3 AND digit_patterns IS NULL THEN typed
  END;
  card_customers := ARRAY(
    SELECT k.customer_id FROM loyalty_card k JOIN customer c ON c.merchant_id = k.merchant_id AND c.id = k.customer_id
     WHERE k.merchant_id = m AND lower(k.number) = typed AND k.active AND c.deleted_at IS NULL);
  RETURN NEXT;
END
$fn$;

-- How many live customers PostgreSQL expects the merchant to have, from the statistics of merchant_id (its most
-- common values). The app's own estimates go through row-level security, whose merchant is a parameter: they see an
-- average merchant's share of the table, and the service scales them by this. VOLATILE: a function that runs EXPLAIN
-- cannot be declared read-only (it only reads).
CREATE FUNCTION merchant_customers_expected()
  RETURNS double precision
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL'
    INTO plan USING app_current_merchant();
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
END
$fn$;

CREATE FUNCTION search_customer_matches(p_whole text, p_words text[], p_digits text[], p_email text, p_limit integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  -- One plan whatever is typed (as search_customer_ids): each kind of match has its own index, and those that do
  -- not apply are switched off by a condition on the terms alone.
  SET plan_cache_mode = force_generic_plan
  ROWS 1000
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  t record;
  typed_end text;
  email_end text;
BEGIN
  SELECT * INTO t FROM search_terms(p_whole, p_words, p_digits, p_email);
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- The starts of codes and emails are ranges of their text_pattern_ops indexes (what LIKE 'typed%' reads).
  typed_end := t.typed || chr(1114111);
  email_end := t.email_prefix || chr(1114111);
  -- A branch that reaches the limit makes the whole reach it: the caller then knows there may be more.
  RETURN QUERY
  SELECT DISTINCT matches.id FROM (
    SELECT unnest(t.card_customers) AS id
    UNION ALL
    (SELECT c.id FROM customer c
      WHERE c.merchant_id = m AND c.deleted_at IS NULL AND (lower(c.code) = t.typed OR lower(c.email) = t.typed))
    UNION ALL
    (SELECT c.id FROM customer c
      WHERE t.names IS NOT NULL AND (c.merchant_id = m) IS TRUE AND c.deleted_at IS NULL
        AND c.search_names @@ t.names
        AND (t.digit_patterns IS NULL OR c.phone_digits LIKE ALL (t.digit_patterns))
      LIMIT p_limit)
    UNION ALL
    (SELECT c.id FROM customer c
      WHERE t.code_prefix AND c.merchant_id = m AND c.deleted_at IS NULL
        AND lower(c.code) ~>=~ t.typed AND lower(c.code) ~<~ typed_end
      LIMIT p_limit)
    UNION ALL
    (SELECT c.id FROM customer c
      WHERE t.email_prefix IS NOT NULL AND c.merchant_id = m AND c.deleted_at IS NULL
        AND lower(c.email) ~>=~ t.email_prefix AND lower(c.email) ~<~ email_end
      LIMIT p_limit)
    UNION ALL
    (SELECT c.id FROM customer c
      WHERE t.names IS NULL AND t.digit_patterns IS NOT NULL AND (c.merchant_id = m) IS TRUE
        AND c.deleted_at IS NULL
        -- One pattern the trigram index can read; the others checked on its rows.
        AND c.phone_digits LIKE t.digit_patterns[1] AND c.phone_digits LIKE ALL (t.digit_patterns)
      LIMIT p_limit)
  ) matches
  LIMIT p_limit;
END
$fn$;

REVOKE ALL ON FUNCTION search_terms(text, text[], text[], text) FROM PUBLIC;
REVOKE ALL ON FUNCTION merchant_customers_expected() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION merchant_customers_expected() TO patron_app;
REVOKE ALL ON FUNCTION search_customer_matches(text, text[], text[], text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_terms(text, text[], text[], text) TO patron_app;
GRANT EXECUTE ON FUNCTION search_customer_matches(text, text[], text[], text, integer) TO patron_app;
