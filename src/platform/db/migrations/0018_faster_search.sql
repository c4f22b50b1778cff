-- Faster name searches at a million customers (docs/benchmarks.md, "Search"), measured on the directory
-- data set with EXPLAIN ANALYZE:
--
-- 1. The full-text index loses its leading merchant_id. With btree_gin, every search intersected the
--    words' postings with the merchant's posting tree, which holds every one of the merchant's customers:
--    "karl:*" took 7 ms in the index for 989 matches, 0.9 ms without it. The merchant is checked on each
--    match instead (rows of other merchants are dropped before ranking), like the trigram indexes already
--    do; a search costs what the table's size says, not the merchant's. An exception to "merchant_id leads
--    every index" (DESIGN.md), for the one kind of index where it costs more than it saves.
-- 2. A word of one or two letters ("Gonzalez M") narrows the matches but is not looked up in the index:
--    'm:*' expands to every word that starts with m, and reading them all cost more than checking the
--    letter on the few rows the long words find ("Nguyen J": 38 ms, then 14).
-- 3. Candidates carry their last change, so ranking by activity reads only the statistics, not the
--    customer row a second time (989 candidates: 28 ms in all, then 12).
-- 4. The typo fallback asks each word to be within a typo of some word of the name, rather than the whole
--    query of some stretch of it: one trigram index scan with every word's condition finds a few dozen
--    rows, where the whole query matched everyone sharing the first name ("Jesse Ngueyn": 79 ms, then 13).
-- 5. Typo ties go to the name most like the whole query (trigram similarity), before the most recently
--    changed: "Karl Kawhol" is as near Karlo Kawohl as Karlo Kawa word by word (on 200 typed names of the
--    data set, 89 % → 92.5 % in the first ten, the same p95 of ~55 ms for the function). A lower threshold per
--    word found 98 % but at p95 ~300 ms.
-- 6. A short word with a swap ("Mhor" for Mohr) shares too few trigrams to pass a word's threshold (6 % of the
--    typed names): when no customer passes word by word, the whole query is compared with the whole name
--    (slower, and only when nothing else is found and no word is an initial).
-- 7. People type the end of a phone number (the last digits they remember, or the number without its country
--    code): a number that ends with the digits typed ranks before one that holds them elsewhere ("345678" is
--    in the middle of some numbers and at the end of the one wanted). Phone searches by the last 6 digits put
--    the customer in the first ten 87 % → 95 % of the time.

DROP INDEX customer_search_names_idx;
CREATE INDEX customer_search_names_idx ON customer USING gin (search_names) WHERE deleted_at IS NULL;

CREATE OR REPLACE FUNCTION search_customer_ids(p_whole text, p_words text[], p_digits text[], p_email text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  prefix_query tsquery;
  whole_query tsquery;
  indexed_query tsquery;
  short_filter text := '';
  digit_filter text := '';
  branches text[] := ARRAY[]::text[];
BEGIN
  IF m IS NULL OR p_whole IS NULL OR p_whole = '' THEN
    RETURN;
  END IF;
  branches := array_append(branches, 'SELECT id, 0 AS rank, updated_at FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND (lower(code) = lower($2) OR lower(email) = lower($2))');
  IF p_email IS NOT NULL THEN
    branches := array_append(branches, 'SELECT id, 1, updated_at FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND lower(email) LIKE $3 LIMIT 2000');
  END IF;
  IF position(' ' IN p_whole) = 0 AND length(p_whole) >= 2 THEN
    branches := array_append(branches, 'SELECT id, 2, updated_at FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
      AND lower(code) LIKE $4 LIMIT 2000');
    -- An email typed without its @ yet: "jsmith" is the start of jsmith@example.com.
    IF p_email IS NULL AND length(p_whole) >= 3 AND coalesce(array_length(p_digits, 1), 0) = 0 THEN
      branches := array_append(branches, 'SELECT id, 2, updated_at FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL
        AND lower(email) LIKE $4 LIMIT 2000');
    END IF;
  END IF;
  IF coalesce(array_length(p_digits, 1), 0) > 0 THEN
    SELECT string_agg(format(' AND phone_digits LIKE %L', '%' || d || '%'), '') INTO digit_filter FROM unnest(p_digits) AS d;
  END IF;
  IF coalesce(array_length(p_words, 1), 0) > 0 THEN
    SELECT string_agg(quote_literal(f) || ':*', ' & ')::tsquery,
           string_agg(quote_literal(f), ' & ')::tsquery,
           string_agg(quote_literal(f) || ':*', ' & ') FILTER (WHERE length(f) >= 3)::tsquery
      INTO prefix_query, whole_query, indexed_query
      FROM (SELECT patron_fold(w) AS f FROM unnest(p_words) AS w) words WHERE f <> '';
    IF prefix_query IS NOT NULL THEN
      -- Short words are checked on the rows the long ones find (ts_match_vq is @@ that no index takes).
      IF indexed_query IS NULL OR indexed_query::text = prefix_query::text THEN
        indexed_query := prefix_query;
      ELSE
        short_filter := format(' AND ts_match_vq(search_names, %L::tsquery)', prefix_query);
      END IF;
      branches := array_append(branches, format('SELECT id, CASE WHEN search_names @@ %L::tsquery THEN 1 ELSE 2 END, updated_at
        FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL AND search_names @@ %L::tsquery %s %s LIMIT 2000',
        whole_query, indexed_query, short_filter, digit_filter));
    END IF;
  ELSIF digit_filter <> '' THEN
    -- A whole number first, then a number that ends with the digits typed, then one that holds them.
    branches := array_append(branches, format('SELECT id, CASE WHEN (%L || phone_digits || %L) LIKE %L THEN 0
        WHEN (phone_digits || %L) LIKE %L THEN 1 ELSE 2 END, updated_at
      FROM customer WHERE merchant_id = $1 AND deleted_at IS NULL %s LIMIT 2000',
      ' ', ' ', '% ' || p_digits[1] || ' %', ' ', '%' || p_digits[1] || ' %', digit_filter));
  END IF;
  RETURN QUERY EXECUTE format(
    'WITH candidates AS MATERIALIZED ((%s)),
          best AS (SELECT c.id, min(c.rank) AS rank, max(c.updated_at) AS updated_at FROM candidates c GROUP BY c.id)
     SELECT best.id, best.rank::integer
     FROM best
     LEFT JOIN customer_stats s ON s.merchant_id = $1 AND s.customer_id = best.id
     ORDER BY best.rank, coalesce(s.last_order_at, best.updated_at) DESC, best.id
     LIMIT $5',
    array_to_string(branches, ') UNION ALL ('))
  USING m, p_whole, p_email || '%', replace(replace(replace(lower(p_whole), '\', '\\'), '%', '\%'), '_', '\_') || '%', p_limit;
END
$fn$;

-- Nothing matched as typed: customers each of whose words is within a typo or two of a word of the name
-- (word similarity), most similar first; else, with no initial among the words, the whole name.
CREATE OR REPLACE FUNCTION search_customer_ids_fuzzy(p_text text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.3
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  folded text := patron_fold(p_text);
  conditions text;
  distance text;
BEGIN
  IF m IS NULL THEN
    RETURN;
  END IF;
  SELECT string_agg(format('%L <%% c.search_text', w), ' AND '), string_agg(format('(%L <<-> c.search_text)', w), ' + ')
    INTO conditions, distance
    FROM unnest(string_to_array(folded, ' ')) AS w WHERE w <> '';
  IF conditions IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format(
    'SELECT c.id, 3 FROM customer c
     WHERE c.merchant_id = $1 AND c.deleted_at IS NULL AND %s
     ORDER BY %s, similarity($3, c.search_text) DESC, c.updated_at DESC, c.id
     LIMIT $2', conditions, distance)
  USING m, p_limit, folded;
  -- An initial is not a typo: "Smith Z" that finds no Z stays empty.
  IF NOT FOUND AND NOT EXISTS (SELECT FROM unnest(string_to_array(folded, ' ')) AS w WHERE w <> '' AND length(w) < 3) THEN
    RETURN QUERY
      SELECT c.id, 3 FROM customer c
      WHERE c.merchant_id = m AND c.deleted_at IS NULL AND folded <% c.search_text
      ORDER BY folded <<-> c.search_text, c.updated_at DESC, c.id
      LIMIT p_limit;
  END IF;
END
$fn$;
