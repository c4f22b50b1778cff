-- On-account sales and the invoices that settle them, and the group discount a sale can carry.
--
-- A sale paid (in part) "on account" opens an invoice for that part; the customer's account balance is
-- the sum of what their invoices still have open, kept in customer_balance beside the ledger like the
-- other balances (reasons invoiced / settled / voided, with the invoice named). An invoice's open amount
-- is its amount less what payments settled, refunds credited and a void wrote off; `npm run verify`
-- checks it against its payments.

ALTER TABLE merchant
  ADD COLUMN invoicing_enabled boolean NOT NULL DEFAULT false,
  -- Days from the sale to the invoice's due date.
  ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
  -- What a customer may owe on account unless their own limit says otherwise; null: no limit.
  ADD COLUMN default_credit_limit bigint CHECK (default_credit_limit >= 0);

-- A customer's own credit limit (minor units); null: the merchant's default applies.
ALTER TABLE customer ADD COLUMN credit_limit bigint CHECK (credit_limit >= 0);

-- A group's discount at the till, in percent; a sale records the one it was given.
ALTER TABLE customer_group
  ADD COLUMN discount_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100);
ALTER TABLE sale
  ADD COLUMN group_discount_name text,
  ADD COLUMN group_discount_percent numeric(5, 2);

-- Invoice numbers run 1, 2, 3… per merchant without gaps: the counter row is taken in the transaction
-- of the sale, so a refused sale gives its number back.
CREATE TABLE invoice_counter (
  merchant_id uuid PRIMARY KEY REFERENCES merchant (id),
  last_number bigint NOT NULL DEFAULT 0
);

CREATE TABLE invoice (
  merchant_id uuid NOT NULL,
  id uuid NOT NULL,
  number bigint NOT NULL,
  customer_id uuid NOT NULL,
  sale_id uuid NOT NULL,
  -- The sale's day in its store's time zone, and that plus the payment terms.
  issued_on date NOT NULL,
  due_on date NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  -- Settled by payments, taken off by refunds to the account, written off by a void.
  paid bigint NOT NULL DEFAULT 0,
  credited bigint NOT NULL DEFAULT 0,
  voided_amount bigint NOT NULL DEFAULT 0,
  open_amount bigint NOT NULL GENERATED ALWAYS AS (amount - paid - credited - voided_amount) STORED
    CHECK (open_amount >= 0),
  voided_at timestamptz,
  voided_by text,
  void_reason text CHECK (length(void_reason) <= 500),
  -- A manager let this sale past the customer's credit limit.
  limit_override_by text,
  limit_override_reason text CHECK (length(limit_override_reason) <= 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  UNIQUE (merchant_id, number),
  UNIQUE (merchant_id, sale_id),
  FOREIGN KEY (merchant_id, customer_id) REFERENCES customer (merchant_id, id),
  FOREIGN KEY (merchant_id, sale_id) REFERENCES sale (merchant_id, id)
);
CREATE INDEX invoice_customer_idx ON invoice (merchant_id, customer_id, issued_on DESC, number DESC);
CREATE INDEX invoice_list_idx ON invoice (merchant_id, issued_on DESC, number DESC);
CREATE INDEX invoice_open_idx ON invoice (merchant_id, due_on, number) WHERE open_amount > 0;

-- What settled an invoice or took from it: a payment (one payment may settle several invoices: its
-- rows share payment_id), a refund to the account (credit), or the cancellation of such a refund
-- (credit_reversed, negative). Never changed or removed.
CREATE TABLE invoice_payment (
  merchant_id uuid NOT NULL,
  id uuid NOT NULL,
  payment_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('payment', 'credit', 'credit_reversed')),
  amount bigint NOT NULL CHECK (amount <> 0 AND (kind = 'credit_reversed') = (amount < 0)),
  method text CHECK ((kind = 'payment') = (method IS NOT NULL)),
  paid_on date NOT NULL,
  reference text CHECK (length(reference) <= 100),
  note text CHECK (length(note) <= 500),
  -- The refund that credited the invoice.
  sale_id uuid,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, invoice_id) REFERENCES invoice (merchant_id, id),
  FOREIGN KEY (merchant_id, sale_id) REFERENCES sale (merchant_id, id)
);
CREATE INDEX invoice_payment_invoice_idx ON invoice_payment (merchant_id, invoice_id, created_at);
CREATE INDEX invoice_payment_sale_idx ON invoice_payment (merchant_id, sale_id) WHERE sale_id IS NOT NULL;

CREATE FUNCTION invoice_payment_immutable() RETURNS trigger
  LANGUAGE plpgsql
AS $fn$
BEGIN
  RAISE EXCEPTION 'Invoice payments are never changed or removed: add a correcting entry';
END
$fn$;
CREATE TRIGGER invoice_payment_immutable BEFORE UPDATE OR DELETE ON invoice_payment
  FOR EACH ROW EXECUTE FUNCTION invoice_payment_immutable();

-- The account's reasons: invoiced (an on-account sale), settled (a payment), credited (a refund to the
-- account) and credit_reversed (that refund cancelled), voided (written off).
ALTER TABLE balance_entry
  DROP CONSTRAINT balance_entry_reason_check,
  ADD CONSTRAINT balance_entry_reason_check CHECK (reason IN (
    'earned', 'earning_reversed', 'redeemed', 'redemption_reversed', 'issued', 'issue_reversed', 'adjusted', 'expired',
    'import', 'invoiced', 'settled', 'credited', 'credit_reversed', 'voided')),
  ADD FOREIGN KEY (merchant_id, invoice_id) REFERENCES invoice (merchant_id, id);
CREATE INDEX balance_entry_invoice_idx ON balance_entry (merchant_id, invoice_id) WHERE invoice_id IS NOT NULL;

ALTER TABLE invoice_counter ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_payment ENABLE ROW LEVEL SECURITY;
CREATE POLICY merchant_isolation ON invoice_counter
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON invoice
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
CREATE POLICY merchant_isolation ON invoice_payment
  USING (merchant_id = app_current_merchant()) WITH CHECK (merchant_id = app_current_merchant());
GRANT SELECT, INSERT, UPDATE ON invoice_counter TO patron_app;
GRANT SELECT, INSERT, UPDATE ON invoice TO patron_app;
GRANT SELECT, INSERT ON invoice_payment TO patron_app;

-- The account side of post_balance_entry: the entry names its invoice. The account never goes below zero.
-- Callers lock the customer's customer_stats row first.
CREATE FUNCTION post_account_entry(p_customer uuid, p_amount bigint, p_reason text, p_note text, p_sale uuid,
                                   p_invoice uuid, p_by text)
  RETURNS bigint
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  v_after bigint;
BEGIN
  INSERT INTO customer_balance (merchant_id, customer_id) VALUES (m, p_customer) ON CONFLICT DO NOTHING;
  UPDATE customer_balance SET account = account + p_amount WHERE customer_id = p_customer
  RETURNING account INTO v_after;
  IF v_after < 0 THEN
    RAISE EXCEPTION 'post_account_entry: the account of % would go below zero', p_customer;
  END IF;
  INSERT INTO balance_entry (merchant_id, id, customer_id, balance, amount, reason, note, sale_id, invoice_id, created_by)
  VALUES (m, gen_random_uuid(), p_customer, 'account', p_amount, p_reason, p_note, p_sale, p_invoice, p_by);
  RETURN v_after;
END
$fn$;

-- Today in the merchant's time zone: what "overdue" and a statement's ageing count from.
CREATE FUNCTION merchant_today() RETURNS date
  LANGUAGE sql STABLE
  SET search_path = public, pg_temp
AS $$
  SELECT (now() AT TIME ZONE time_zone)::date FROM merchant WHERE id = app_current_merchant()
$$;

GRANT EXECUTE ON FUNCTION post_account_entry(uuid, bigint, text, text, uuid, uuid, text), merchant_today()
  TO patron_app;
