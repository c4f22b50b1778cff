-- Recording a sale in one round trip. A busy till's sale was five statements (claim the idempotency key,
-- look up store, receipt, customer and products, write, commit), and on a small machine each trip
-- between the server and PostgreSQL costs more CPU than the work it carries. This function does the
-- lookups and the writes; the server checks the request's shape and totals before calling it, and
-- builds its answer from what it returns. Statements inside a function are planned once per connection.

-- How a customer is named on receipts and in reports: their name, else company, email or code. The one
-- definition, used by every query (customerLabel() in customer.repository.ts calls it).
CREATE FUNCTION customer_label(first_name text, last_name text, company_name text, email text, code text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(concat_ws(' ', first_name, last_name), ''), company_name, email, code) $$;

-- p: the sale as the server checked it (see SaleService.record). Returns
--   {"outcome": "replay", "by": "key" | "receipt", "requestHash", "saleId"}: an earlier request made it;
--   {"outcome": "recorded", "store", "customer", "lines", "costTotal"}: written, with what was looked up.
-- Raises sale_invalid (DETAIL: the field errors as JSON) when the store, customer or a product does not
-- exist, and sale_receipt_taken when another sale of the store has the receipt reference: nothing is kept.
CREATE FUNCTION record_sale(p jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  v_key text := p->>'key';
  v_hash text := p->>'requestHash';
  v_id uuid := (p->>'id')::uuid;
  v_store_id uuid := (p->>'storeId')::uuid;
  v_ref jsonb := nullif(p->'customer', 'null'::jsonb);
  v_sold_at timestamptz := (p->>'soldAt')::timestamptz;
  v_prior record;
  v_store record;
  v_customer_id uuid;
  v_customer_name text;
  v_errors jsonb := '[]'::jsonb;
  v_lines jsonb;
  v_cost bigint;
BEGIN
  IF m IS NULL THEN
    RAISE EXCEPTION 'record_sale: no merchant set';
  END IF;

  IF v_key IS NOT NULL THEN
    INSERT INTO idempotency_key (merchant_id, key, request_hash) VALUES (m, v_key, v_hash) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      -- A new snapshot: a first request that was still running has committed by now.
      SELECT request_hash, resource_id INTO v_prior FROM idempotency_key WHERE key = v_key;
      RETURN jsonb_build_object('outcome', 'replay', 'by', 'key', 'requestHash', v_prior.request_hash,
                                'saleId', v_prior.resource_id);
    END IF;
  END IF;

  SELECT name, time_zone INTO v_store FROM store WHERE id = v_store_id;
  IF NOT FOUND THEN
    v_errors := v_errors || jsonb_build_object('field', 'storeId', 'code', 'not_found', 'message', 'No store has this id');
  ELSE
    SELECT id, request_hash INTO v_prior FROM sale WHERE store_id = v_store_id AND receipt_ref = p->>'receiptRef';
    IF FOUND THEN
      IF v_prior.request_hash <> v_hash THEN
        RAISE EXCEPTION 'sale_receipt_taken';
      END IF;
      -- The key now names that sale too, so its own retries replay rather than clash.
      UPDATE idempotency_key SET resource_id = v_prior.id WHERE key = v_key;
      RETURN jsonb_build_object('outcome', 'replay', 'by', 'receipt', 'requestHash', v_prior.request_hash,
                                'saleId', v_prior.id);
    END IF;
  END IF;

  IF v_ref IS NOT NULL THEN
    IF v_ref ? 'id' THEN
      SELECT id, customer_label(first_name, last_name, company_name, email, code) INTO v_customer_id, v_customer_name
        FROM customer WHERE id = (v_ref->>'id')::uuid AND deleted_at IS NULL;
    ELSIF v_ref ? 'code' THEN
      SELECT id, customer_label(first_name, last_name, company_name, email, code) INTO v_customer_id, v_customer_name
        FROM customer WHERE lower(code) = lower(v_ref->>'code') AND deleted_at IS NULL;
    ELSE
      SELECT id, customer_label(first_name, last_name, company_name, email, code) INTO v_customer_id, v_customer_name
        FROM customer WHERE lower(email) = lower(v_ref->>'email') AND deleted_at IS NULL;
    END IF;
    IF v_customer_id IS NULL THEN
      v_errors := v_errors || jsonb_build_object('field', 'customer', 'code', 'not_found',
                                                 'message', 'No customer matches this id, code or email');
    END IF;
  END IF;

  -- Each line with the product it names (by id, else by SKU): description and cost default to the product's.
  WITH line AS (
    SELECT * FROM jsonb_to_recordset(p->'lines') AS l(
      "lineNo" smallint, "productId" uuid, sku text, description text, quantity numeric, "unitPrice" bigint,
      "unitCost" bigint, discount bigint, tax bigint, total bigint)
  ), resolved AS (
    SELECT l.*, coalesce(by_id.id, by_sku.id) AS product_id, coalesce(by_id.sku, by_sku.sku) AS product_sku,
           coalesce(by_id.name, by_sku.name) AS product_name, coalesce(by_id.cost, by_sku.cost) AS product_cost
    FROM line l
    LEFT JOIN product by_id ON by_id.id = l."productId"
    LEFT JOIN product by_sku ON l."productId" IS NULL AND l.sku IS NOT NULL AND lower(by_sku.sku) = lower(l.sku)
  )
  SELECT
    jsonb_agg(jsonb_build_object(
      'lineNo', "lineNo", 'productId', product_id, 'sku', coalesce(product_sku, sku),
      'description', coalesce(description, product_name), 'quantity', quantity, 'unitPrice', "unitPrice",
      'unitCost', coalesce("unitCost", product_cost), 'discount', discount, 'tax', tax, 'total', total,
      'refundsLineNo', NULL) ORDER BY "lineNo"),
    coalesce(sum(round(quantity * coalesce("unitCost", product_cost, 0))), 0)::bigint,
    v_errors || coalesce(jsonb_agg(jsonb_build_object(
        'field', 'lines.' || ("lineNo" - 1) || CASE WHEN "productId" IS NOT NULL THEN '.productId' ELSE '.sku' END,
        'code', 'not_found', 'message', 'No product has this id or SKU') ORDER BY "lineNo")
      FILTER (WHERE ("productId" IS NOT NULL OR sku IS NOT NULL) AND product_id IS NULL), '[]'::jsonb)
    INTO v_lines, v_cost, v_errors
  FROM resolved;

  IF jsonb_array_length(v_errors) > 0 THEN
    RAISE EXCEPTION 'sale_invalid' USING DETAIL = v_errors::text;
  END IF;

  INSERT INTO sale (merchant_id, id, store_id, register, receipt_ref, channel, kind, status, sold_at, customer_id,
                    subtotal, discount_total, tax_total, total, cost_total, note, request_hash, created_by, created_at)
  VALUES (m, v_id, v_store_id, p->>'register', p->>'receiptRef', p->>'channel', 'sale', p->>'status', v_sold_at,
          v_customer_id, (p->>'subtotal')::bigint, (p->>'discountTotal')::bigint, (p->>'taxTotal')::bigint,
          (p->>'total')::bigint, v_cost, p->>'note', v_hash, p->>'createdBy', (p->>'createdAt')::timestamptz);

  INSERT INTO sale_line (merchant_id, sale_id, line_no, product_id, sku, description, quantity, unit_price, unit_cost,
                         discount, tax, total)
  SELECT m, v_id, l."lineNo", l."productId", l.sku, l.description, l.quantity, l."unitPrice", l."unitCost",
         l.discount, l.tax, l.total
  FROM jsonb_to_recordset(v_lines) AS l(
    "lineNo" smallint, "productId" uuid, sku text, description text, quantity numeric, "unitPrice" bigint,
    "unitCost" bigint, discount bigint, tax bigint, total bigint);

  INSERT INTO sale_payment (merchant_id, sale_id, line_no, method, amount)
  SELECT m, v_id, pay."lineNo", pay.method, pay.amount
  FROM jsonb_to_recordset(p->'payments') AS pay("lineNo" smallint, method text, amount bigint);

  IF v_customer_id IS NOT NULL THEN
    INSERT INTO customer_stats AS c (merchant_id, customer_id, total_spent, order_count, visit_count, return_count,
                                     first_order_at, last_order_at)
    VALUES (m, v_customer_id, (p->>'total')::bigint, 1, CASE WHEN p->>'channel' = 'pos' THEN 1 ELSE 0 END, 0,
            v_sold_at, v_sold_at)
    ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
      total_spent = c.total_spent + EXCLUDED.total_spent,
      order_count = c.order_count + 1,
      visit_count = c.visit_count + EXCLUDED.visit_count,
      first_order_at = least(c.first_order_at, EXCLUDED.first_order_at),
      last_order_at = greatest(c.last_order_at, EXCLUDED.last_order_at);
  END IF;

  IF v_key IS NOT NULL THEN
    UPDATE idempotency_key SET resource_id = v_id WHERE key = v_key;
  END IF;

  RETURN jsonb_build_object(
    'outcome', 'recorded',
    'store', jsonb_build_object('name', v_store.name, 'timeZone', v_store.time_zone),
    'customer', CASE WHEN v_customer_id IS NULL THEN NULL ELSE jsonb_build_object('id', v_customer_id, 'name', v_customer_name) END,
    'lines', v_lines,
    'costTotal', v_cost);
END
$fn$;

GRANT EXECUTE ON FUNCTION record_sale(jsonb) TO patron_app;
GRANT EXECUTE ON FUNCTION customer_label(text, text, text, text, text) TO patron_app;
