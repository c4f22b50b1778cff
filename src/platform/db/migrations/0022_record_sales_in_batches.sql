-- Sales recorded in batches: the sales that arrive together, written by one call.
--
-- record_sale (0008, 0010) writes one sale in about a dozen statements. On this kind of machine
-- (2 cores) that costs PostgreSQL about 2.1 ms of CPU a sale, nearly all of it per statement and per
-- transaction (executor start-up, plan checks, locks, commit), not per row: the same statements
-- written set-based for 16 sales at once cost 0.46 ms a sale (pgbench, 16 clients, 1,000,000
-- customers; docs/benchmarks.md). record_sales takes the sales that reached the server while an
-- earlier batch was being written (src/features/sales/sale.batcher.ts) and writes them with one
-- statement a table.
--
-- It takes only plain sales: the server sends a sale with points, store credit, an on-account payment
-- or a group discount to record_sale, whose checks and balance entries are per sale. A sale of the
-- batch that cannot be written here as it stands — its key or receipt reference seen before (a
-- retry), its store, customer or a product not found — is answered with outcome 'single': the server
-- records it with record_sale, which gives the replay or the error a single sale gets. Anything that
-- goes wrong while writing (a receipt reference or key claimed by a concurrent request meanwhile, a
-- deadlock, a lock waited for more than 250 ms) rolls the whole batch back, and the server records each
-- of its sales with record_sale: a batch never holds a merchant's sales behind one busy customer for
-- long. Either way a sale is written once, in one transaction with its customer's statistics.
CREATE TYPE sale_batch_item AS (
  n integer,
  key text,
  request_hash text,
  id uuid,
  store_id uuid,
  store_name text,
  store_time_zone text,
  register text,
  receipt_ref text,
  channel text,
  status text,
  sold_at timestamptz,
  created_at timestamptz,
  created_by text,
  note text,
  customer_id uuid,
  customer_name text,
  subtotal bigint,
  discount_total bigint,
  tax_total bigint,
  total bigint,
  lines jsonb,
  cost_total bigint,
  payments jsonb,
  loyalty_rate numeric,
  writable boolean
);

CREATE FUNCTION record_sales(p jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
  SET lock_timeout = '250ms'
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  v_items sale_batch_item[];
  v_keys integer;
  v_claimed integer;
  v_item sale_batch_item;
BEGIN
  IF m IS NULL THEN
    RAISE EXCEPTION 'record_sales: no merchant set';
  END IF;

  -- Each sale with its store, customer and products (as record_sale finds them), and whether it can be
  -- written here.
  WITH sale_in AS (
    SELECT o.n::integer AS n, o.s, nullif(o.s->'customer', 'null'::jsonb) AS ref
    FROM jsonb_array_elements(p) WITH ORDINALITY AS o(s, n)
  ), referenced AS (
    SELECT sale_in.*,
           CASE WHEN ref IS NULL THEN NULL
                WHEN ref ? 'id' THEN (ref->>'id')::uuid
                WHEN ref ? 'code' THEN coalesce(customer_id_by('code', ref->>'code'), customer_id_by('card', ref->>'code'))
                ELSE customer_id_by('email', ref->>'email')
           END AS wanted_customer
    FROM sale_in
  ), line AS (
    SELECT r.n, l.*
    FROM referenced r, jsonb_to_recordset(r.s->'lines') AS l(
      "lineNo" smallint, "productId" uuid, sku text, description text, quantity numeric, "unitPrice" bigint,
      "unitCost" bigint, discount bigint, tax bigint, total bigint)
  ), resolved AS (
    SELECT l.*, coalesce(by_id.id, by_sku.id) AS product_id, coalesce(by_id.sku, by_sku.sku) AS product_sku,
           coalesce(by_id.name, by_sku.name) AS product_name, coalesce(by_id.cost, by_sku.cost) AS product_cost
    FROM line l
    LEFT JOIN product by_id ON by_id.id = l."productId"
    LEFT JOIN product by_sku ON l."productId" IS NULL AND l.sku IS NOT NULL AND lower(by_sku.sku) = lower(l.sku)
  ), lines_of AS (
    SELECT n,
           jsonb_agg(jsonb_build_object(
             'lineNo', "lineNo", 'productId', product_id, 'sku', coalesce(product_sku, sku),
             'description', coalesce(description, product_name), 'quantity', quantity, 'unitPrice', "unitPrice",
             'unitCost', coalesce("unitCost", product_cost), 'discount', discount, 'tax', tax, 'total', total,
             'refundsLineNo', NULL) ORDER BY "lineNo") AS lines,
           coalesce(sum(round(quantity * coalesce("unitCost", product_cost, 0))), 0)::bigint AS cost_total,
           bool_and(("productId" IS NULL AND sku IS NULL) OR product_id IS NOT NULL) AS products_found
    FROM resolved
    GROUP BY n
  )
  SELECT array_agg(ROW(
      r.n, r.s->>'key', r.s->>'requestHash', (r.s->>'id')::uuid, st.id, st.name, st.time_zone,
      r.s->>'register', r.s->>'receiptRef', r.s->>'channel', r.s->>'status', (r.s->>'soldAt')::timestamptz,
      (r.s->>'createdAt')::timestamptz, r.s->>'createdBy', r.s->>'note',
      c.id, CASE WHEN c.id IS NOT NULL THEN customer_label(c.first_name, c.last_name, c.company_name, c.email, c.code) END,
      (r.s->>'subtotal')::bigint, (r.s->>'discountTotal')::bigint, (r.s->>'taxTotal')::bigint, (r.s->>'total')::bigint,
      lo.lines, lo.cost_total, r.s->'payments',
      -- loyalty_rate_for(c.id), read from the merchant row joined once rather than called a sale.
      CASE WHEN c.loyalty_opt_in AND mer.loyalty_enabled AND mer.loyalty_points_per_unit > 0
           THEN mer.loyalty_points_per_unit END,
      st.id IS NOT NULL
        -- Balances and invoices are record_sale's (the server never sends such a sale here).
        AND NOT r.s->'payments' @> '[{"method": "loyalty"}]'
        AND NOT r.s->'payments' @> '[{"method": "store_credit"}]'
        AND NOT r.s->'payments' @> '[{"method": "on_account"}]'
        AND (r.ref IS NULL OR c.id IS NOT NULL)
        AND coalesce(lo.products_found, false)
        AND NOT EXISTS (SELECT 1 FROM sale x WHERE x.store_id = st.id AND x.receipt_ref = r.s->>'receiptRef')
        AND NOT EXISTS (SELECT 1 FROM idempotency_key k WHERE k.key = r.s->>'key')
    )::sale_batch_item ORDER BY r.n)
  INTO v_items
  FROM referenced r
  CROSS JOIN (SELECT loyalty_enabled, loyalty_points_per_unit FROM merchant WHERE id = m) mer
  LEFT JOIN store st ON st.id = (r.s->>'storeId')::uuid
  LEFT JOIN customer c ON c.id = r.wanted_customer AND c.deleted_at IS NULL
  LEFT JOIN lines_of lo ON lo.n = r.n;

  -- Keys claimed for the sales' ids. One claimed by a concurrent request since the check above: the
  -- whole batch goes back, and its sales are recorded one by one.
  SELECT count(*) INTO v_keys FROM unnest(v_items) i WHERE i.writable AND i.key IS NOT NULL;
  IF v_keys > 0 THEN
    WITH claimed AS (
      INSERT INTO idempotency_key (merchant_id, key, request_hash, resource_id)
      SELECT m, i.key, i.request_hash, i.id FROM unnest(v_items) i WHERE i.writable AND i.key IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT count(*) INTO v_claimed FROM claimed;
    IF v_claimed <> v_keys THEN
      RAISE EXCEPTION 'record_sales: a key was claimed meanwhile' USING ERRCODE = '40001';
    END IF;
  END IF;

  INSERT INTO sale (merchant_id, id, store_id, register, receipt_ref, channel, kind, status, sold_at, customer_id,
                    subtotal, discount_total, tax_total, total, cost_total, note, request_hash, created_by, created_at,
                    loyalty_rate)
  SELECT m, i.id, i.store_id, i.register, i.receipt_ref, i.channel, 'sale', i.status, i.sold_at, i.customer_id,
         i.subtotal, i.discount_total, i.tax_total, i.total, i.cost_total, i.note, i.request_hash, i.created_by,
         i.created_at, i.loyalty_rate
  FROM unnest(v_items) i
  WHERE i.writable;

  INSERT INTO sale_line (merchant_id, sale_id, line_no, product_id, sku, description, quantity, unit_price, unit_cost,
                         discount, tax, total)
  SELECT m, i.id, l."lineNo", l."productId", l.sku, l.description, l.quantity, l."unitPrice", l."unitCost",
         l.discount, l.tax, l.total
  FROM unnest(v_items) i, jsonb_to_recordset(i.lines) AS l(
    "lineNo" smallint, "productId" uuid, sku text, description text, quantity numeric, "unitPrice" bigint,
    "unitCost" bigint, discount bigint, tax bigint, total bigint)
  WHERE i.writable;

  INSERT INTO sale_payment (merchant_id, sale_id, line_no, method, amount)
  SELECT m, i.id, pay."lineNo", pay.method, pay.amount
  FROM unnest(v_items) i, jsonb_to_recordset(i.payments) AS pay("lineNo" smallint, method text, amount bigint)
  WHERE i.writable;

  -- One statistics row per customer, however many of their sales the batch holds, locked in customer
  -- order so that two batches never wait on each other in a circle.
  INSERT INTO customer_stats AS c (merchant_id, customer_id, total_spent, order_count, visit_count, return_count,
                                   first_order_at, last_order_at)
  SELECT m, i.customer_id, sum(i.total), count(*), count(*) FILTER (WHERE i.channel = 'pos'), 0,
         min(i.sold_at), max(i.sold_at)
  FROM unnest(v_items) i
  WHERE i.writable AND i.customer_id IS NOT NULL
  GROUP BY i.customer_id
  ORDER BY i.customer_id
  ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
    total_spent = c.total_spent + EXCLUDED.total_spent,
    order_count = c.order_count + EXCLUDED.order_count,
    visit_count = c.visit_count + EXCLUDED.visit_count,
    first_order_at = least(c.first_order_at, EXCLUDED.first_order_at),
    last_order_at = greatest(c.last_order_at, EXCLUDED.last_order_at);

  -- Points earned, for customers in the merchant's loyalty programme.
  FOR v_item IN SELECT * FROM unnest(v_items) i WHERE i.writable AND i.loyalty_rate IS NOT NULL ORDER BY i.n LOOP
    PERFORM settle_sale_loyalty(v_item.id, v_item.created_by);
  END LOOP;

  RETURN (
    SELECT jsonb_agg(
      CASE WHEN i.writable THEN jsonb_build_object(
        'outcome', 'recorded',
        'store', jsonb_build_object('name', i.store_name, 'timeZone', i.store_time_zone),
        'customer', CASE WHEN i.customer_id IS NULL THEN NULL
                         ELSE jsonb_build_object('id', i.customer_id, 'name', i.customer_name) END,
        'lines', i.lines,
        'costTotal', i.cost_total)
      ELSE jsonb_build_object('outcome', 'single') END
      ORDER BY i.n)
    FROM unnest(v_items) i
  );
END
$fn$;

GRANT EXECUTE ON FUNCTION record_sales(jsonb) TO patron_app;
