-- Idempotency keys are kept 30 days (purged hourly, src/features/sales/idempotency.ts): a register or shop
-- retries within minutes or, after an outage, days; the table otherwise grows by a row for every sale sent
-- with a key, forever. A BRIN index finds the old rows, which are the first written, at almost no
-- cost to each insert (a btree on created_at would be one more index entry per sale).
CREATE INDEX idempotency_key_created_idx ON idempotency_key USING brin (created_at);
