-- Typos are matched word by word against the distinct words of the merchant's customers' names (pg_trgm's
-- documented companion to full-text search: a table of the words, with a trigram index), then the customers
-- are found by those exact words in the full-text index. Before, each typed word was compared by trigram
-- with the name of every customer sharing a trigram with it ("~18 ms in the trigram index, ~11 ms computing
-- word similarity on the few hundred rows"); a million customers' names hold ~10,000 distinct words (without
-- the hyphenated compounds, whose parts are words of their own). Measured on the directory data set
-- (docs/benchmarks.md, "Search"), 200 names typed with two letters swapped in the surname: the intended
-- customer in the first ten 92.5 % → 98.5 % of the time; p50 26 → 5 ms, p95 63 → 11, p99 140 → 26.
--
-- For each typed word of three letters or more, the words it may be:
-- 1. itself as a prefix, when some word of a name starts with it;
-- 2. when it is not a whole word of any name (a word that is one is taken as typed, in a first round), the
--    20 words nearest it: by trigram word similarity (the threshold of 0.3 as before) or within two edits
--    (fuzzystrmatch's levenshtein, which finds the short words with two letters swapped that share too few
--    trigrams: "dcah" for Dach), nearest first.
-- Customers must have one of each typed word's candidates (shorter words stay prefixes checked on the rows
-- found); they are ranked as before: by word similarity of each typed word to the name, then of the whole
-- query, then the most recently changed. A second round lets every word be a typo (a typo that is a real
-- word, "Marei" for Marie). Nothing found, as before this migration: the whole query is compared with the
-- whole name, or, when a word is one or two letters (an initial, or a short name that may be the typo), each
-- word with the name.
--
-- The words are kept by triggers: a statement's new customers (one statement for a batch of an import), and a
-- customer whose name changed. Words no customer uses any more stay (a search that expands to them finds no
-- one); they are a vocabulary, not linked to any customer. A word is added when it is not there yet, with no
-- unique key: two transactions adding the same new word (an import's batches, a till beside an import that
-- takes minutes) must not wait for each other, nor deadlock; the rare word added twice is harmless (searches
-- ask whether a word exists, and take distinct words).

CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE customer_name_word (
  merchant_id uuid NOT NULL REFERENCES merchant (id) ON DELETE CASCADE,
  word text COLLATE "C" NOT NULL
);
-- Byte order: "the words that start with" is a range of this index.
CREATE INDEX customer_name_word_idx ON customer_name_word (merchant_id, word);
CREATE INDEX customer_name_word_trgm_idx ON customer_name_word USING gin (merchant_id, word gin_trgm_ops);
ALTER TABLE customer_name_word ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer_name_word
  USING (merchant_id = (SELECT app_current_merchant())) WITH CHECK (merchant_id = (SELECT app_current_merchant()));

CREATE FUNCTION customer_name_words_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
BEGIN
  INSERT INTO customer_name_word (merchant_id, word)
  SELECT DISTINCT n.merchant_id, w
  FROM new_customers n, unnest(tsvector_to_array(n.search_names)) AS w
  WHERE position('-' IN w) = 0
    -- Most words are known: looked up in one pass (10,000 new customers: 28 ms, where 60 offering each).
    AND NOT EXISTS (SELECT FROM customer_name_word x WHERE x.merchant_id = n.merchant_id AND x.word = w);
  RETURN NULL;
END
$fn$;

CREATE FUNCTION customer_name_words_renamed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
BEGIN
  INSERT INTO customer_name_word (merchant_id, word)
  SELECT NEW.merchant_id, w FROM unnest(tsvector_to_array(NEW.search_names)) AS w
  WHERE position('-' IN w) = 0
    AND NOT EXISTS (SELECT FROM customer_name_word x WHERE x.merchant_id = NEW.merchant_id AND x.word = w);
  RETURN NULL;
END
$fn$;

-- The triggers first, then the words of the customers already there: none added meanwhile is missed.
CREATE TRIGGER customer_name_words_on_insert AFTER INSERT ON customer
  REFERENCING NEW TABLE AS new_customers
  FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_inserted();
-- Row by row, and only for statements that set a name: recording a sale updates customers too, and pays nothing.
CREATE TRIGGER customer_name_words_on_rename AFTER UPDATE OF first_name, last_name, company_name ON customer
  FOR EACH ROW WHEN (OLD.search_names IS DISTINCT FROM NEW.search_names)
  EXECUTE FUNCTION customer_name_words_renamed();

INSERT INTO customer_name_word (merchant_id, word)
SELECT DISTINCT c.merchant_id, w
FROM customer c, unnest(tsvector_to_array(c.search_names)) AS w
WHERE c.deleted_at IS NULL AND position('-' IN w) = 0
  AND NOT EXISTS (SELECT FROM customer_name_word x WHERE x.merchant_id = c.merchant_id AND x.word = w);

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
BEGIN
  IF m IS NULL THEN
    RETURN;
  END IF;
  -- Initials narrow the rows found; an initial is not a typo ("Smith Z" that finds no Z stays empty).
  SELECT string_agg(quote_literal(w) || ':*', ' & ') INTO short_query
    FROM unnest(string_to_array(folded, ' ')) AS w WHERE w <> '' AND length(w) < 3;
  FOREACH every_word IN ARRAY ARRAY[false, true] LOOP
    WITH typed AS (
      -- No name has a word of a hundred letters (and levenshtein takes at most 255).
      SELECT w FROM unnest(string_to_array(folded, ' ')) AS w WHERE length(w) BETWEEN 3 AND 100
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
               SELECT x.word FROM customer_name_word x
               WHERE x.merchant_id = m AND x.word >= left(t.w, 1) AND x.word < left(t.w, 1) || chr(1114111)
                 AND length(x.word) BETWEEN length(t.w) - 2 AND length(t.w) + 2
                 AND levenshtein_less_equal(t.w, x.word, 2) <= 2
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
    EXIT WHEN long_query IS NULL;
    CONTINUE WHEN missing;
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
  IF short_query IS NULL THEN
    -- A word far from every word of a name ("Mhor" for Mohr, with the first name): the whole query against the
    -- whole name.
    RETURN QUERY
      SELECT c.id, 3 FROM customer c
      WHERE c.merchant_id = m AND c.deleted_at IS NULL AND folded <% c.search_text
      ORDER BY folded <<-> c.search_text, c.updated_at DESC, c.id
      LIMIT p_limit;
  ELSE
    -- A short word may be the typo ("Wei Wo" for Wei Wu): each word, short ones too, near a stretch of the name
    -- (as before this migration; an initial that matches nothing, "Smith Z", still finds no one).
    SELECT string_agg(format('%L <%% c.search_text', w), ' AND '), string_agg(format('(%L <<-> c.search_text)', w), ' + ')
      INTO long_query, distance
      FROM unnest(string_to_array(folded, ' ')) AS w WHERE w <> '';
    RETURN QUERY EXECUTE format(
      'SELECT c.id, 3 FROM customer c
       WHERE c.merchant_id = $1 AND c.deleted_at IS NULL AND %s
       ORDER BY %s, similarity($3, c.search_text) DESC, c.updated_at DESC, c.id
       LIMIT $2', long_query, distance)
    USING m, p_limit, folded;
  END IF;
END
$fn$;
