-- Sorting and filtering by last order: a plain column for "last order, never = the oldest possible".
-- Row-level security lets only leakproof conditions into an index scan, and COALESCE is not one: the
-- expression index of 0007 served the sort but never a range, so "last order over a year ago" read
-- most of the index. A stored column makes both the sort and the range plain comparisons.
ALTER TABLE customer_stats
  ADD COLUMN last_order_sort timestamptz NOT NULL GENERATED ALWAYS AS (coalesce(last_order_at, '-infinity'::timestamptz)) STORED;
DROP INDEX customer_stats_last_order_idx;
CREATE INDEX customer_stats_last_order_idx ON customer_stats (merchant_id, last_order_sort, customer_id);
