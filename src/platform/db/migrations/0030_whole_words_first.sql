-- Searches look for whole words first (docs/benchmarks.md, "Search", 2026-11-25).
--
-- A customer whose name holds a typed word whole ranks before one whose name only starts with it ("Mari" finds
-- Mari Tamm before Maria Lopez), and an exact code, email or card number before both. Before, every search
-- gathered the prefix matches too, up to 2,000 of each kind, and read the statistics of each to rank them by
-- activity, even when the whole words alone filled the page: "Mari" read a bitmap of the 19,267 customers whose
-- names start with mari, 2,000 of their rows, 2,000 emails that start with mari and the statistics of ~3,800
-- customers, to show ten people named Mari. Now the whole words are asked first; when they fill the page, nothing
-- found by a prefix can be on it, and the search ends there. Also, the whole-word matches were found among the
-- first 2,000 prefix matches, in the order of the table: a Mari beyond them was missed, however active. They are
-- now all found (up to 2,000) and kept when the search goes on to the prefixes, so the most recently active come
-- first as the ranking says.
--
-- The function is static SQL, planned once per connection: its query was built as text and planned on every call
-- (a union of five or six branches over a table of twelve indexes: ~1–3 ms, more than finding a customer by code
-- takes). Each kind of match keeps its own index in the one plan, and those that do not apply to what was typed
-- are switched off by conditions on the arguments alone, which the executor checks once. The starts of codes and
-- emails are ranges of their text_pattern_ops indexes rather than LIKE patterns, which a plan made before the
-- pattern is known could not use.
--
-- Measured against 0018's function, in the database and through HTTP: docs/benchmarks.md ("Search", 2026-11-25).
--
-- Names and emails that start as typed (rank 2 alike, and mostly the same people: an email is often made of the
-- name) are together at most 2,000 candidates, names first, where each kind had 2,000: a word that starts thousands
-- of names with no whole match ("Andr") had the statistics of ~4,000 people read to rank a sample, where 2,000 is as
-- good a sample at half the cost.
--
-- A loyalty card number goes straight to its customer, first (as the service did with a query of its own: one
-- round trip fewer for every search).
--
-- The names and phone digits are found through their GIN indexes, which hold every merchant's customers: the plan
-- is made once, before the merchant is known, and where a database holds many merchants it would otherwise rather
-- read a merchant's rows through a btree led by merchant_id (a bitmap of all their customers, a million for a large
-- one) and AND it with the GIN's. Those branches check the merchant as `(c.merchant_id = m) IS TRUE`, which no
-- index can answer (checked with n_distinct = 1000 on customer.merchant_id, docs/benchmarks.md).

CREATE OR REPLACE FUNCTION search_customer_ids(p_whole text, p_words text[], p_digits text[], p_email text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  -- Every query below is written for one plan whatever is typed: each kind of match has its own index, and
  -- those that do not apply are switched off by a condition on the arguments alone.
  SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
DECLARE
  m uuid := app_current_merchant();
  typed text := lower(p_whole);
  -- The starts of codes and emails are ranges of their text_pattern_ops indexes: [typed, typed || the last
  -- character), what LIKE 'typed%' reads, with nothing to escape.
  typed_end text := lower(p_whole) || chr(1114111);
  one_word boolean := position(' ' IN p_whole) = 0;
  email_end text := p_email || chr(1114111);
  prefix_query tsquery;
  whole_query tsquery;
  indexed_query tsquery;
  short_query tsquery;
  digit_patterns text[];
  first_pattern text;
  whole_number text;
  number_end text;
  exact_ids uuid[];
  exact_ranks integer[];
  exact_changes timestamptz[];
  more boolean;
BEGIN
  IF m IS NULL OR p_whole IS NULL OR p_whole = '' THEN
    RETURN;
  END IF;
  IF coalesce(array_length(p_digits, 1), 0) > 0 THEN
    digit_patterns := ARRAY(SELECT '%' || d || '%' FROM unnest(p_digits) AS d);
    first_pattern := digit_patterns[1];
    whole_number := '% ' || p_digits[1] || ' %';
    number_end := '%' || p_digits[1] || ' %';
  END IF;
  IF coalesce(array_length(p_words, 1), 0) > 0 THEN
    SELECT string_agg(quote_literal(f) || ':*', ' & ')::tsquery,
           string_agg(quote_literal(f), ' & ')::tsquery,
           string_agg(quote_literal(f) || ':*', ' & ') FILTER (WHERE length(f) >= 3)::tsquery
      INTO prefix_query, whole_query, indexed_query
      FROM (SELECT patron_fold(w) AS f FROM unnest(p_words) AS w) words WHERE f <> '';
    -- A word of one or two letters ("Gonzalez M") is checked on the rows the long ones find: 'm:*' is every
    -- word that starts with m.
    IF indexed_query IS NULL THEN
      indexed_query := prefix_query;
    ELSIF indexed_query::text <> prefix_query::text THEN
      short_query := prefix_query;
    END IF;
  END IF;

  -- 1. A card, a code or an email as typed (rank 0, a card before the others), and names with every word whole
  --    (rank 1): all of them, up to 2,000 names.
  SELECT array_agg(c.id), array_agg(c.rank), array_agg(c.updated_at)
    INTO exact_ids, exact_ranks, exact_changes
    FROM (
      (SELECT c.id, -1 AS rank, c.updated_at
         FROM loyalty_card k JOIN customer c ON c.merchant_id = k.merchant_id AND c.id = k.customer_id
        WHERE k.merchant_id = m AND lower(k.number) = typed AND k.active AND c.deleted_at IS NULL)
      UNION ALL
      (SELECT c.id, 0, c.updated_at FROM customer c
        WHERE c.merchant_id = m AND c.deleted_at IS NULL AND (lower(c.code) = typed OR lower(c.email) = typed))
      UNION ALL
      (SELECT c.id, 1, c.updated_at FROM customer c
        WHERE whole_query IS NOT NULL AND (c.merchant_id = m) IS TRUE AND c.deleted_at IS NULL
          AND c.search_names @@ whole_query
          AND (digit_patterns IS NULL OR c.phone_digits LIKE ALL (digit_patterns))
        LIMIT 2000)
    ) c;
  -- When they fill the page, nothing found by a prefix can be on it: the search ends with them. (Digits alone find
  -- whole phone numbers at rank 0 in step 2; step 1 holds at most a card, a code and an email then, never a page.)
  more := (SELECT count(DISTINCT e) FROM unnest(exact_ids) AS e) < p_limit;

  -- 2. Otherwise also names with words that start as typed, the starts of emails and codes, phone fragments: at
  --    most 2,000 of each kind. All ranked, then by the most recent activity.
  RETURN QUERY
  WITH names AS MATERIALIZED (
    -- The whole-word matches are among the candidates of step 1, all of them; this finds at most 2,000 matches in
    -- the order of the table, and may miss them among thousands whose names only start with a word typed.
    SELECT c.id, CASE WHEN c.search_names @@ whole_query THEN 1 ELSE 2 END AS rank, c.updated_at FROM customer c
    WHERE more AND indexed_query IS NOT NULL AND (c.merchant_id = m) IS TRUE AND c.deleted_at IS NULL
      AND c.search_names @@ indexed_query
      AND (short_query IS NULL OR ts_match_vq(c.search_names, short_query))
      AND (digit_patterns IS NULL OR c.phone_digits LIKE ALL (digit_patterns))
    LIMIT 2000
  ),
  candidates AS MATERIALIZED (
    SELECT e.id, e.rank, e.updated_at FROM unnest(exact_ids, exact_ranks, exact_changes) AS e(id, rank, updated_at)
    UNION ALL
    SELECT n.id, n.rank, n.updated_at FROM names n
    UNION ALL
    -- An email being typed, with its @.
    (SELECT c.id, 1, c.updated_at FROM customer c
      WHERE more AND p_email IS NOT NULL AND c.merchant_id = m AND c.deleted_at IS NULL
        AND lower(c.email) ~>=~ p_email AND lower(c.email) ~<~ email_end
      LIMIT 2000)
    UNION ALL
    (SELECT c.id, 2, c.updated_at FROM customer c
      WHERE more AND one_word AND length(p_whole) >= 2 AND c.merchant_id = m AND c.deleted_at IS NULL
        AND lower(c.code) ~>=~ typed AND lower(c.code) ~<~ typed_end
      LIMIT 2000)
    UNION ALL
    -- An email typed without its @ yet: "jsmith" is the start of jsmith@example.com. Names and emails that start
    -- as typed rank alike, and they are mostly the same people (an email is often made of the name): together at
    -- most 2,000, names first. A word that starts thousands of names ("Andr") would otherwise have the statistics
    -- of 4,000 people read to rank a sample, where 2,000 is as good a sample and costs half.
    (SELECT c.id, 2, c.updated_at FROM customer c
      WHERE more AND one_word AND length(p_whole) >= 3 AND p_email IS NULL AND digit_patterns IS NULL
        AND c.merchant_id = m AND c.deleted_at IS NULL
        AND lower(c.email) ~>=~ typed AND lower(c.email) ~<~ typed_end
      LIMIT (SELECT 2000 - count(*) FROM names))
    UNION ALL
    -- Digits alone: a whole number first, then a number that ends with the digits typed, then one that holds them.
    (SELECT c.id, CASE WHEN (' ' || c.phone_digits || ' ') LIKE whole_number THEN 0
                       WHEN (c.phone_digits || ' ') LIKE number_end THEN 1 ELSE 2 END, c.updated_at
       FROM customer c
      WHERE more AND indexed_query IS NULL AND first_pattern IS NOT NULL AND (c.merchant_id = m) IS TRUE
        AND c.deleted_at IS NULL
        AND c.phone_digits LIKE first_pattern AND c.phone_digits LIKE ALL (digit_patterns)
      LIMIT 2000)
  ),
  best AS (SELECT c.id, min(c.rank) AS rank, max(c.updated_at) AS updated_at FROM candidates c GROUP BY c.id)
  SELECT best.id, greatest(best.rank, 0)
  FROM best
  ORDER BY best.rank,
           coalesce((SELECT s.last_order_at FROM customer_stats s WHERE s.merchant_id = m AND s.customer_id = best.id),
                    best.updated_at) DESC,
           best.id
  LIMIT p_limit;
END
$fn$;
