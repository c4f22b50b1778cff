-- The customer list at a million customers: a sort key for names, a statistics row for every customer
-- (so sorting and filtering by what they bought walks an index instead of aggregating), and indexes
-- for each sort of the list.

-- Sorted by surname, then first name (as grouped: surname initial, else first name, company or email),
-- folded like the search (José = jose), in byte order of the folded text; names that do not start with
-- a letter a–z come last, under '#'.
ALTER TABLE customer ADD COLUMN name_sort text COLLATE "C" GENERATED ALWAYS AS (
  CASE WHEN left(patron_fold(coalesce(nullif(last_name, ''), nullif(first_name, ''), nullif(company_name, ''), email, '')), 1) ~ '^[a-z]$'
       THEN '' ELSE '~' END
  || patron_fold(coalesce(nullif(last_name, ''), nullif(first_name, ''), nullif(company_name, ''), email, ''))
  || ' ' || patron_fold(CASE WHEN nullif(last_name, '') IS NOT NULL THEN coalesce(first_name, '') ELSE '' END)
) STORED;

CREATE INDEX customer_name_sort_idx ON customer (merchant_id, name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX customer_created_store_idx ON customer (merchant_id, created_store_id) WHERE deleted_at IS NULL;
-- Replaced: every sort walks its keys and the id in one direction, forwards or backwards.
DROP INDEX customer_created_idx;
CREATE INDEX customer_created_idx ON customer (merchant_id, created_at, id) WHERE deleted_at IS NULL;

-- Every customer has a statistics row from the start (zeros until the first sale).
INSERT INTO customer_stats (merchant_id, customer_id)
SELECT merchant_id, id FROM customer ON CONFLICT DO NOTHING;

CREATE FUNCTION customer_stats_start() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
BEGIN
  INSERT INTO customer_stats (merchant_id, customer_id) VALUES (NEW.merchant_id, NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER customer_stats_start AFTER INSERT ON customer
  FOR EACH ROW EXECUTE FUNCTION customer_stats_start();

-- "Never ordered" sorts as the oldest possible order.
DROP INDEX customer_stats_spent_idx;
DROP INDEX customer_stats_last_order_idx;
CREATE INDEX customer_stats_spent_idx ON customer_stats (merchant_id, total_spent, customer_id);
CREATE INDEX customer_stats_orders_idx ON customer_stats (merchant_id, order_count, customer_id);
CREATE INDEX customer_stats_last_order_idx ON customer_stats (merchant_id, (coalesce(last_order_at, '-infinity')), customer_id);
CREATE INDEX customer_stats_first_order_idx ON customer_stats (merchant_id, first_order_at);
