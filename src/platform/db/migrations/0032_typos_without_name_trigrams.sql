-- Typos are found by the words of names alone; the trigram index of whole names is gone.
--
-- customer_search_trgm_idx (0006: a trigram GIN index of every customer's whole name) served one thing since
-- migration 0023: the last resort of a search with a typo, when no word of a name was near a typed word, which
-- compared the whole query with the whole name ("Carlos Mhor", from before typos were matched within two edits)
-- or, with a word of one or two letters, each word with the name ("Wei Wo"). On the directory data set its
-- statistics counted no scan at all after every search benchmark of two days, while every customer written pays
-- for it (an import, a till adding a customer, a rename, an erasure): a COPY of 500,000 customers into the directory
-- took 72–80 s without it against 83–84 s with it (docs/benchmarks.md, "Customer import", 2026-11-25), and it held
-- 76 MB a million customers.
--
-- The two last resorts become words too, in the second round (where every word may be a typo):
-- - a word of two letters may be the typo ("Wo" for Wu): like a longer word, it may be the twenty words of names
--   nearest it that start with the same letter (within one edit, where a longer word has two, or alike by
--   trigrams), nearest first, or itself as a prefix. A single letter stays an initial, never a typo ("Smith Z"
--   that finds no Z stays empty);
-- - a word with two letters swapped ("Mhor") is two edits from the word of the name: found by the words already.
-- A query whose words are each far from every word of every name finds no one, as a person would expect of a
-- name nobody has.

CREATE OR REPLACE FUNCTION search_customer_ids_fuzzy(p_text text, p_limit integer)
  RETURNS TABLE (id uuid, rank integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.3
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  folded text := patron_fold(p_text);
  long_query text;
  short_query text;
  distance text;
  missing boolean;
  every_word boolean;
  shortest integer;
BEGIN
  IF m IS NULL THEN
    RETURN;
  END IF;
  FOREACH every_word IN ARRAY ARRAY[false, true] LOOP
    -- Words shorter than this narrow the rows found, as prefixes; the others are matched within a typo. In the
    -- first round a word of two letters is a prefix ("Smith Jo"); in the second it may be the typo ("Wei Wo").
    shortest := CASE WHEN every_word THEN 2 ELSE 3 END;
    SELECT string_agg(quote_literal(w) || ':*', ' & ') INTO short_query
      FROM unnest(string_to_array(folded, ' ')) AS w WHERE w <> '' AND length(w) < shortest;
    WITH typed AS (
      -- No name has a word of a hundred letters (and levenshtein takes at most 255).
      SELECT w FROM unnest(string_to_array(folded, ' ')) AS w WHERE length(w) BETWEEN shortest AND 100
    ),
    terms AS (
      SELECT t.w, concat_ws(' | ',
        CASE WHEN EXISTS (SELECT FROM customer_name_word x
                          WHERE x.merchant_id = m AND x.word >= t.w AND x.word < t.w || chr(1114111))
          THEN quote_literal(t.w) || ':*' END,
        CASE WHEN every_word OR NOT EXISTS (SELECT FROM customer_name_word x WHERE x.merchant_id = m AND x.word = t.w) THEN
          (SELECT string_agg(quote_literal(near.word), ' | ') FROM (
             SELECT found.word FROM (
               SELECT x.word FROM customer_name_word x WHERE x.merchant_id = m AND t.w <% x.word
               UNION
               -- Within two edits, one for a word of two letters (every word of two letters is two edits from it).
               SELECT x.word FROM customer_name_word x
               WHERE x.merchant_id = m AND x.word >= left(t.w, 1) AND x.word < left(t.w, 1) || chr(1114111)
                 AND length(x.word) BETWEEN length(t.w) - 2 AND length(t.w) + 2
                 AND levenshtein_less_equal(t.w, x.word, 2) <= least(length(t.w) - 1, 2)
             ) found
             ORDER BY CASE WHEN length(found.word) <= 255 THEN levenshtein_less_equal(t.w, found.word, 3) ELSE 3 END,
                      t.w <-> found.word, found.word
             LIMIT 20) near)
        END) AS alternatives
      FROM typed t
    )
    SELECT string_agg('(' || alternatives || ')', ' & '), bool_or(alternatives = ''),
           string_agg(format('(%L <<-> c.search_text)', w), ' + ')
      INTO long_query, missing, distance
      FROM terms;
    -- No word to match within a typo in this round (the second may have words of two letters), or one with no
    -- word near it.
    CONTINUE WHEN long_query IS NULL OR missing;
    RETURN QUERY EXECUTE format(
      'SELECT c.id, 3 FROM customer c
       WHERE c.merchant_id = $1 AND c.deleted_at IS NULL AND c.search_names @@ %L::tsquery %s
       ORDER BY %s, similarity($3, c.search_text) DESC, c.updated_at DESC, c.id
       LIMIT $2',
      long_query,
      CASE WHEN short_query IS NULL THEN '' ELSE format(' AND ts_match_vq(c.search_names, %L::tsquery)', short_query) END,
      distance)
    USING m, p_limit, folded;
    IF FOUND THEN
      RETURN;
    END IF;
  END LOOP;
END
$fn$;

DROP INDEX customer_search_trgm_idx;
