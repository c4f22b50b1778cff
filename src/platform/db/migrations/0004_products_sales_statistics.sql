-- Products (enough for reports and the sell screen), sales with their lines and payments, each
-- customer's statistics kept in step with their sales, and the idempotency keys of retried requests.

CREATE TABLE product (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  sku text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  price bigint NOT NULL CHECK (price >= 0),
  cost bigint CHECK (cost >= 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX product_sku_key ON product (merchant_id, lower(sku));
CREATE INDEX product_name_idx ON product (merchant_id, lower(name) text_pattern_ops);

CREATE TABLE sale (
  merchant_id uuid NOT NULL REFERENCES merchant (id),
  id uuid NOT NULL,
  store_id uuid NOT NULL,
  register text,
  receipt_ref text NOT NULL CHECK (length(receipt_ref) BETWEEN 1 AND 64),
  channel text NOT NULL CHECK (channel IN ('pos', 'ecommerce')),
  kind text NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'refund')),
  -- completed, on_account (paid at least in part on account), cancelled (voided), refunded (fully returned)
  status text NOT NULL CHECK (status IN ('completed', 'on_account', 'cancelled', 'refunded')),
  sold_at timestamptz NOT NULL,
  customer_id uuid,
  refund_of uuid,
  subtotal bigint NOT NULL,
  discount_total bigint NOT NULL,
  tax_total bigint NOT NULL,
  total bigint NOT NULL,
  cost_total bigint NOT NULL,
  note text CHECK (length(note) <= 2000),
  -- The request as received, to tell a retry (same body) from a different sale with a used reference.
  request_hash text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  cancelled_by text,
  cancel_reason text,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, store_id) REFERENCES store (merchant_id, id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id),
  FOREIGN KEY (merchant_id, refund_of) REFERENCES sale (merchant_id, id)
);
CREATE UNIQUE INDEX sale_receipt_key ON sale (merchant_id, store_id, receipt_ref);
-- A customer's receipts, newest first; also what their statistics are recomputed from.
CREATE INDEX sale_customer_idx ON sale (merchant_id, customer_id, sold_at DESC, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX sale_time_idx ON sale (merchant_id, sold_at DESC, id DESC);
CREATE INDEX sale_refund_of_idx ON sale (merchant_id, refund_of) WHERE refund_of IS NOT NULL;

CREATE TABLE sale_line (
  merchant_id uuid NOT NULL,
  sale_id uuid NOT NULL,
  line_no smallint NOT NULL,
  product_id uuid,
  sku text,
  description text NOT NULL,
  quantity numeric(12, 3) NOT NULL,
  unit_price bigint NOT NULL,
  unit_cost bigint,
  discount bigint NOT NULL DEFAULT 0,
  tax bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL,
  -- For a refund line: the line of the original sale it returns.
  refunds_line_no smallint,
  PRIMARY KEY (merchant_id, sale_id, line_no),
  FOREIGN KEY (merchant_id, sale_id) REFERENCES sale (merchant_id, id),
  FOREIGN KEY (merchant_id, product_id) REFERENCES product (merchant_id, id)
);
CREATE INDEX sale_line_product_idx ON sale_line (merchant_id, product_id) WHERE product_id IS NOT NULL;

CREATE TABLE sale_payment (
  merchant_id uuid NOT NULL,
  sale_id uuid NOT NULL,
  line_no smallint NOT NULL,
  method text NOT NULL CHECK (method IN ('cash', 'card', 'store_credit', 'loyalty', 'on_account', 'gift_card', 'other')),
  amount bigint NOT NULL,
  PRIMARY KEY (merchant_id, sale_id, line_no),
  FOREIGN KEY (merchant_id, sale_id) REFERENCES sale (merchant_id, id)
);

-- Maintained in the same transaction as every sale, cancellation, refund and move: never aggregated on read.
CREATE TABLE customer_stats (
  merchant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  total_spent bigint NOT NULL DEFAULT 0,
  order_count integer NOT NULL DEFAULT 0,
  visit_count integer NOT NULL DEFAULT 0,
  return_count integer NOT NULL DEFAULT 0,
  first_order_at timestamptz,
  last_order_at timestamptz,
  PRIMARY KEY (merchant_id, customer_id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id)
);
CREATE INDEX customer_stats_spent_idx ON customer_stats (merchant_id, total_spent DESC, customer_id);
CREATE INDEX customer_stats_last_order_idx ON customer_stats (merchant_id, last_order_at DESC NULLS LAST, customer_id);

CREATE TABLE idempotency_key (
  merchant_id uuid NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash text NOT NULL,
  -- What the first request made, to answer its retries with the same record.
  resource_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, key)
);

ALTER TABLE product ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON product
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE sale ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON sale
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE sale_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON sale_line
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE sale_payment ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON sale_payment
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE customer_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON customer_stats
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON idempotency_key
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());

GRANT SELECT, INSERT, UPDATE ON product, sale, sale_line, sale_payment, customer_stats TO patron_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_key TO patron_app;
