-- What a customer is owed and owes: loyalty points, store credit and their account. Every change is a
-- ledger entry that is never changed or removed; each balance is kept beside the ledger in the same
-- transaction (so a sale reads and spends it with one row lock) and `npm run verify` checks that it
-- still equals the ledger's sum.

ALTER TABLE merchant
  ADD COLUMN loyalty_enabled boolean NOT NULL DEFAULT false,
  -- Points earned per whole unit of currency paid with an earning method (1.5 = 3 points for $2).
  ADD COLUMN loyalty_points_per_unit numeric(8, 2) NOT NULL DEFAULT 1 CHECK (loyalty_points_per_unit >= 0),
  -- What a point is worth when it pays for a sale, in minor units.
  ADD COLUMN loyalty_point_value bigint NOT NULL DEFAULT 1 CHECK (loyalty_point_value > 0),
  ADD COLUMN loyalty_earning_methods text[] NOT NULL DEFAULT ARRAY['cash', 'card', 'gift_card', 'other', 'on_account'],
  ADD COLUMN loyalty_expiry_months integer CHECK (loyalty_expiry_months BETWEEN 1 AND 120);

-- The loyalty rate a sale earns at (points per unit of currency), fixed when it is recorded or moved:
-- null when it earns nothing (loyalty off, no customer, or a customer who did not opt in).
ALTER TABLE sale ADD COLUMN loyalty_rate numeric(8, 2);

CREATE TABLE customer_balance (
  merchant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  loyalty_points bigint NOT NULL DEFAULT 0,
  store_credit bigint NOT NULL DEFAULT 0,
  -- What the customer owes on account: the sum of their open invoices.
  account bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, customer_id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id)
);
-- The list's "has a balance" filter.
CREATE INDEX customer_balance_nonzero_idx ON customer_balance (merchant_id, customer_id)
  WHERE loyalty_points <> 0 OR store_credit <> 0 OR account <> 0;

CREATE TABLE balance_entry (
  merchant_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  balance text NOT NULL CHECK (balance IN ('loyalty', 'store_credit', 'account')),
  -- Points for loyalty, minor units for store credit and account; positive adds to the balance.
  amount bigint NOT NULL CHECK (amount <> 0),
  -- earned / earning_reversed: points a sale earned, and taken back (cancel, refund, move);
  -- redeemed / redemption_reversed: a balance that paid for a sale, and given back when it is cancelled;
  -- issued / issue_reversed: credit (or points) a refund gave, and taken back when the refund is cancelled;
  -- adjusted (by hand, with a note), expired, import; invoiced / settled / voided for the account.
  reason text NOT NULL CHECK (reason IN ('earned', 'earning_reversed', 'redeemed', 'redemption_reversed', 'issued',
                                         'issue_reversed', 'adjusted', 'expired', 'import', 'invoiced', 'settled',
                                         'voided')),
  note text CHECK (length(note) <= 500),
  sale_id uuid,
  invoice_id uuid,
  -- Earned points: when they lapse (null: never).
  expires_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id),
  FOREIGN KEY (merchant_id, sale_id) REFERENCES sale (merchant_id, id)
);
CREATE INDEX balance_entry_customer_idx ON balance_entry (merchant_id, customer_id, balance, created_at DESC, id DESC);
CREATE INDEX balance_entry_sale_idx ON balance_entry (merchant_id, sale_id) WHERE sale_id IS NOT NULL;
CREATE INDEX balance_entry_expiring_idx ON balance_entry (merchant_id, expires_at) WHERE expires_at IS NOT NULL;

CREATE FUNCTION balance_entry_immutable() RETURNS trigger
  LANGUAGE plpgsql
AS $fn$
BEGIN
  RAISE EXCEPTION 'Balance entries are never changed or removed: add a correcting entry';
END
$fn$;
CREATE TRIGGER balance_entry_immutable BEFORE UPDATE OR DELETE ON balance_entry
  FOR EACH ROW EXECUTE FUNCTION balance_entry_immutable();

CREATE TABLE loyalty_card (
  merchant_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  number text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deactivated_at timestamptz,
  deactivated_by text,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id)
);
-- A card number belongs to one customer for good: a lost card is deactivated, not handed on.
CREATE UNIQUE INDEX loyalty_card_number_key ON loyalty_card (merchant_id, lower(number));
CREATE INDEX loyalty_card_customer_idx ON loyalty_card (merchant_id, customer_id);

ALTER TABLE customer_balance ENABLE ROW LEVEL SECURITY;
ALTER TABLE balance_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE loyalty_card ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer_balance
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON balance_entry
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON loyalty_card
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
GRANT SELECT, INSERT, UPDATE ON customer_balance TO patron_app;
GRANT SELECT, INSERT ON balance_entry TO patron_app;
GRANT SELECT, INSERT, UPDATE ON loyalty_card TO patron_app;

-- Digits after the decimal point of a currency (ISO 4217): "points per unit of currency" needs it.
CREATE FUNCTION currency_exponent(code text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN code IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV',
                  'XAF', 'XOF', 'XPF') THEN 0
    WHEN code IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 3
    ELSE 2 END
$$;

-- Add one entry to a customer's ledger and to the balance kept beside it. Unless `allow_negative`, a
-- change that would take the balance below zero is refused (balance_insufficient): the balance row is
-- locked by the update, so two sales at once can never spend the same points or credit twice.
-- Callers lock the customer's customer_stats row first (the order every change of a sale keeps).
CREATE FUNCTION post_balance_entry(p_customer uuid, p_balance text, p_amount bigint, p_reason text, p_note text,
                                   p_sale uuid, p_expires_at timestamptz, p_by text, p_allow_negative boolean)
  RETURNS bigint
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  v_after bigint;
BEGIN
  IF p_amount = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO customer_balance (merchant_id, customer_id) VALUES (m, p_customer) ON CONFLICT DO NOTHING;
  UPDATE customer_balance SET
    loyalty_points = loyalty_points + CASE WHEN p_balance = 'loyalty' THEN p_amount ELSE 0 END,
    store_credit = store_credit + CASE WHEN p_balance = 'store_credit' THEN p_amount ELSE 0 END,
    account = account + CASE WHEN p_balance = 'account' THEN p_amount ELSE 0 END
  WHERE customer_id = p_customer
    AND (p_allow_negative OR p_amount > 0
         OR CASE p_balance WHEN 'loyalty' THEN loyalty_points WHEN 'store_credit' THEN store_credit ELSE account END
            + p_amount >= 0)
  RETURNING CASE p_balance WHEN 'loyalty' THEN loyalty_points WHEN 'store_credit' THEN store_credit ELSE account END
  INTO v_after;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'balance_insufficient' USING DETAIL = json_build_object('balance', p_balance,
      'available', (SELECT CASE p_balance WHEN 'loyalty' THEN loyalty_points WHEN 'store_credit' THEN store_credit
                           ELSE account END FROM customer_balance WHERE customer_id = p_customer),
      'needed', -p_amount)::text;
  END IF;
  INSERT INTO balance_entry (merchant_id, id, customer_id, balance, amount, reason, note, sale_id, expires_at, created_by)
  VALUES (m, gen_random_uuid(), p_customer, p_balance, p_amount, p_reason, p_note, p_sale, p_expires_at, p_by);
  RETURN v_after;
END
$fn$;

-- The loyalty rate a new sale for this customer earns at now: null when it earns nothing.
CREATE FUNCTION loyalty_rate_for(p_customer uuid) RETURNS numeric
  LANGUAGE sql STABLE
  SET search_path = public, pg_temp
AS $$
  SELECT m.loyalty_points_per_unit FROM merchant m, customer c
  WHERE m.id = app_current_merchant() AND c.id = p_customer AND m.loyalty_enabled AND c.loyalty_opt_in
    AND m.loyalty_points_per_unit > 0
$$;

-- Make the loyalty points of a sale and its refunds what they should be: a live sale earns its rate
-- times what was paid with earning methods (whole points, rounded down), for its customer; each live
-- refund takes back its share of that, counted cumulatively so that refunds adding up to the whole sale
-- take back exactly what it earned; a cancelled sale or refund, or a customer who is no longer the
-- sale's, keeps nothing. Run after recording, refunding, cancelling or moving a sale.
CREATE FUNCTION settle_sale_loyalty(p_sale uuid, p_by text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  v_methods text[];
  v_exponent integer;
  v_months integer;
  v_sale record;
  v_base bigint;
  v_earned bigint;
  r record;
BEGIN
  SELECT loyalty_earning_methods, currency_exponent(currency), loyalty_expiry_months INTO v_methods, v_exponent, v_months
  FROM merchant WHERE id = app_current_merchant();
  SELECT id, customer_id, status, loyalty_rate, sold_at INTO v_sale FROM sale WHERE id = p_sale;
  SELECT coalesce(sum(amount), 0) INTO v_base FROM sale_payment WHERE sale_id = p_sale AND method = ANY(v_methods);
  v_earned := CASE WHEN v_sale.status = 'cancelled' OR v_sale.customer_id IS NULL OR v_sale.loyalty_rate IS NULL
                   OR v_base <= 0 THEN 0
                   ELSE floor(v_base * v_sale.loyalty_rate / 10 ^ v_exponent)::bigint END;
  FOR r IN
    WITH target AS (
      -- The sale itself.
      SELECT p_sale AS sale_id, v_sale.customer_id AS customer_id, v_earned AS points, v_sale.sold_at AS sold_at
      UNION ALL
      -- Each refund: the cumulative share of the refunds up to it, less that of the refunds before it.
      SELECT f.id, v_sale.customer_id,
             CASE WHEN f.status = 'cancelled' OR v_base <= 0 THEN 0
                  ELSE round(v_earned::numeric * f.before / v_base) - round(v_earned::numeric * (f.before + f.base) / v_base)
             END::bigint,
             f.sold_at
      FROM (
        SELECT s.id, s.status, s.sold_at, -coalesce(pay.base, 0) AS base,
               coalesce(sum(-coalesce(pay.base, 0)) FILTER (WHERE s.status <> 'cancelled')
                 OVER (ORDER BY s.sold_at, s.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM sale s
        LEFT JOIN LATERAL (SELECT sum(amount) AS base FROM sale_payment
                           WHERE sale_id = s.id AND method = ANY(v_methods)) pay ON true
        WHERE s.refund_of = p_sale
      ) f
    ), kept AS (
      SELECT sale_id, customer_id, sum(amount) AS points
      FROM balance_entry
      WHERE sale_id IN (SELECT sale_id FROM target) AND balance = 'loyalty' AND reason IN ('earned', 'earning_reversed')
      GROUP BY sale_id, customer_id
    )
    SELECT coalesce(t.sale_id, k.sale_id) AS sale_id, coalesce(t.customer_id, k.customer_id) AS customer_id,
           coalesce(t.points, 0) - coalesce(k.points, 0) AS change, t.sold_at
    FROM (SELECT * FROM target WHERE customer_id IS NOT NULL) t
    FULL JOIN kept k ON k.sale_id = t.sale_id AND k.customer_id = t.customer_id
    WHERE coalesce(t.points, 0) <> coalesce(k.points, 0)
    ORDER BY 2
  LOOP
    PERFORM post_balance_entry(r.customer_id, 'loyalty', r.change::bigint,
      CASE WHEN r.change > 0 THEN 'earned' ELSE 'earning_reversed' END, NULL::text, r.sale_id,
      CASE WHEN r.change > 0 AND v_months IS NOT NULL THEN r.sold_at + make_interval(months => v_months) END,
      p_by, true);
  END LOOP;
END
$fn$;

-- What a sale's payments take from (or, for a refund, give back to) loyalty points and store credit:
-- posted when it is recorded. A shortfall is refused (balance_insufficient).
CREATE FUNCTION apply_sale_payments(p_sale uuid, p_by text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  v_value bigint;
  v_customer uuid;
  r record;
BEGIN
  SELECT loyalty_point_value INTO v_value FROM merchant WHERE id = app_current_merchant();
  SELECT customer_id INTO v_customer FROM sale WHERE id = p_sale;
  FOR r IN
    SELECT method, sum(amount) AS amount FROM sale_payment
    WHERE sale_id = p_sale AND method IN ('loyalty', 'store_credit') GROUP BY method ORDER BY method
  LOOP
    IF r.amount = 0 THEN
      CONTINUE;
    END IF;
    PERFORM post_balance_entry(v_customer, CASE r.method WHEN 'loyalty' THEN 'loyalty' ELSE 'store_credit' END,
      (CASE r.method WHEN 'loyalty' THEN -(r.amount / v_value) ELSE -r.amount END)::bigint,
      CASE WHEN r.amount > 0 THEN 'redeemed' ELSE 'issued' END, NULL::text, p_sale, NULL::timestamptz, p_by, false);
  END LOOP;
END
$fn$;

-- A cancelled sale or refund gives back what its payments took from the balances (and takes back what
-- a refund issued), whoever the sale belongs to now. Earned points are settle_sale_loyalty's.
CREATE FUNCTION reverse_sale_payments(p_sale uuid, p_by text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT customer_id, balance, sum(amount) AS amount,
           bool_or(reason IN ('issued', 'issue_reversed')) AS issued
    FROM balance_entry
    WHERE sale_id = p_sale AND reason IN ('redeemed', 'redemption_reversed', 'issued', 'issue_reversed')
    GROUP BY customer_id, balance
    HAVING sum(amount) <> 0
    ORDER BY customer_id, balance
  LOOP
    PERFORM post_balance_entry(r.customer_id, r.balance, (-r.amount)::bigint,
      CASE WHEN r.issued THEN 'issue_reversed' ELSE 'redemption_reversed' END, NULL::text, p_sale, NULL::timestamptz,
      p_by, true);
  END LOOP;
END
$fn$;

-- Points whose time is up lapse, oldest first: what was earned (or imported) before `p_now` and not yet
-- spent or lapsed. Spending takes the oldest points first, so the points still to lapse are those earned
-- up to now, less every point that has left the balance since the start.
CREATE FUNCTION expire_loyalty_points(p_now timestamptz, p_by text) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  r record;
  v_count integer := 0;
BEGIN
  -- One run at a time per merchant: two would lapse the same points twice.
  PERFORM pg_advisory_xact_lock(hashtext('expire_loyalty_points'), hashtext(app_current_merchant()::text));
  FOR r IN
    SELECT customer_id,
           sum(amount) FILTER (WHERE amount > 0 AND expires_at <= p_now) AS due,
           -sum(amount) FILTER (WHERE amount < 0) AS spent,
           sum(amount) AS balance
    FROM balance_entry
    WHERE balance = 'loyalty'
    GROUP BY customer_id
    HAVING sum(amount) FILTER (WHERE amount > 0 AND expires_at <= p_now) > coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)
       AND sum(amount) > 0
    ORDER BY customer_id
  LOOP
    PERFORM 1 FROM customer_stats WHERE customer_id = r.customer_id FOR UPDATE;
    PERFORM post_balance_entry(r.customer_id, 'loyalty', (-least(r.due - coalesce(r.spent, 0), r.balance))::bigint,
      'expired', NULL::text, NULL::uuid, NULL::timestamptz, p_by, false);
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$fn$;

GRANT EXECUTE ON FUNCTION currency_exponent(text), loyalty_rate_for(uuid),
  post_balance_entry(uuid, text, bigint, text, text, uuid, timestamptz, text, boolean),
  settle_sale_loyalty(uuid, text), apply_sale_payments(uuid, text), reverse_sale_payments(uuid, text),
  expire_loyalty_points(timestamptz, text) TO patron_app;

-- A live customer by exact code, email or active loyalty card number (case-insensitive), for the
-- current merchant. Row-level security would keep lower(…) = … from using its index (lower is not
-- leakproof): a lookup at the till would read every customer. Runs as the owner, for
-- app_current_merchant() only, like search_customer_ids.
CREATE FUNCTION customer_id_by(p_kind text, p_value text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  SELECT id FROM customer
  WHERE merchant_id = app_current_merchant() AND deleted_at IS NULL AND p_kind = 'code' AND lower(code) = lower(p_value)
  UNION ALL
  SELECT id FROM customer
  WHERE merchant_id = app_current_merchant() AND deleted_at IS NULL AND p_kind = 'email'
    AND lower(email) = lower(p_value)
  UNION ALL
  SELECT c.id FROM loyalty_card k JOIN customer c ON c.merchant_id = k.merchant_id AND c.id = k.customer_id
  WHERE k.merchant_id = app_current_merchant() AND p_kind = 'card' AND lower(k.number) = lower(p_value) AND k.active
    AND c.deleted_at IS NULL
  LIMIT 1
$$;
GRANT EXECUTE ON FUNCTION customer_id_by(text, text) TO patron_app;

-- Sales pay with points and store credit, and earn points (see settle_sale_loyalty).
CREATE OR REPLACE FUNCTION record_sale(p jsonb) RETURNS jsonb
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
  v_point_value bigint;
  v_rate numeric;
BEGIN
  IF m IS NULL THEN
    RAISE EXCEPTION 'record_sale: no merchant set';
  END IF;

  IF v_key IS NOT NULL THEN
    -- Claimed for this sale's id: if the sale is refused, the claim goes with it.
    INSERT INTO idempotency_key (merchant_id, key, request_hash, resource_id) VALUES (m, v_key, v_hash, v_id)
    ON CONFLICT DO NOTHING;
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
    -- By record id, else by code (a scanned card number is accepted as a code too), else by email. One
    -- statement each: a single one choosing between them would be planned afresh on every sale.
    IF v_ref ? 'id' THEN
      v_customer_id := (v_ref->>'id')::uuid;
    ELSIF v_ref ? 'code' THEN
      v_customer_id := coalesce(customer_id_by('code', v_ref->>'code'), customer_id_by('card', v_ref->>'code'));
    ELSE
      v_customer_id := customer_id_by('email', v_ref->>'email');
    END IF;
    SELECT id, customer_label(first_name, last_name, company_name, email, code) INTO v_customer_id, v_customer_name
    FROM customer WHERE id = v_customer_id AND deleted_at IS NULL;
    IF v_customer_id IS NULL THEN
      v_errors := v_errors || jsonb_build_object('field', 'customer', 'code', 'not_found',
                                                 'message', 'No customer matches this id, code or email');
    END IF;
  END IF;

  -- Points and store credit pay only for a customer's sale; points only in whole points.
  SELECT loyalty_point_value INTO v_point_value FROM merchant WHERE id = m;
  SELECT v_errors || coalesce(jsonb_agg(
      CASE WHEN v_ref IS NULL THEN
        jsonb_build_object('field', 'payments.' || (pay.n - 1) || '.method', 'code', 'customer_required',
          'message', 'Attach a customer to pay with their ' || CASE pay.method WHEN 'loyalty' THEN 'points' ELSE 'store credit' END)
      ELSE
        jsonb_build_object('field', 'payments.' || (pay.n - 1) || '.amount', 'code', 'not_whole_points',
          'message', 'Must be a multiple of the value of a point (' || v_point_value || ')')
      END ORDER BY pay.n), '[]'::jsonb)
  INTO v_errors
  FROM (SELECT "lineNo" AS n, method, amount
        FROM jsonb_to_recordset(p->'payments') AS x("lineNo" int, method text, amount bigint)) pay
  WHERE pay.method IN ('loyalty', 'store_credit')
    AND (v_ref IS NULL OR (pay.method = 'loyalty' AND pay.amount % v_point_value <> 0));

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

  IF v_customer_id IS NOT NULL THEN
    v_rate := loyalty_rate_for(v_customer_id);
  END IF;

  INSERT INTO sale (merchant_id, id, store_id, register, receipt_ref, channel, kind, status, sold_at, customer_id,
                    subtotal, discount_total, tax_total, total, cost_total, note, request_hash, created_by, created_at,
                    loyalty_rate)
  VALUES (m, v_id, v_store_id, p->>'register', p->>'receiptRef', p->>'channel', 'sale', p->>'status', v_sold_at,
          v_customer_id, (p->>'subtotal')::bigint, (p->>'discountTotal')::bigint, (p->>'taxTotal')::bigint,
          (p->>'total')::bigint, v_cost, p->>'note', v_hash, p->>'createdBy', (p->>'createdAt')::timestamptz,
          v_rate);

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
    -- With the statistics row locked (the order every change of a customer's sales keeps): balances.
    IF p->'payments' @> '[{"method": "loyalty"}]' OR p->'payments' @> '[{"method": "store_credit"}]' THEN
      PERFORM apply_sale_payments(v_id, p->>'createdBy');
    END IF;
    IF v_rate IS NOT NULL THEN
      PERFORM settle_sale_loyalty(v_id, p->>'createdBy');
    END IF;
  END IF;

  RETURN jsonb_build_object(
    'outcome', 'recorded',
    'store', jsonb_build_object('name', v_store.name, 'timeZone', v_store.time_zone),
    'customer', CASE WHEN v_customer_id IS NULL THEN NULL ELSE jsonb_build_object('id', v_customer_id, 'name', v_customer_name) END,
    'lines', v_lines,
    'costTotal', v_cost);
END
$fn$;

