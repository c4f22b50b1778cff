-- Privacy requests: a customer's personal data erased on request (DESIGN.md, "soft delete, hard erase").
-- Erasing wipes the customer row's personal fields and keeps the row (record id, group, statistics,
-- balances) so that sales, ledgers and invoices stay whole and add up, under a record id that no longer
-- leads to a person.
--
-- Audit events are written once and never changed (0002). The one change now allowed is the erasure's: in
-- the transaction that erases a customer, which names it in the setting patron.erasing_customer, the
-- `changes` of the events about that customer, its sales and its invoices may be replaced (their values
-- redacted: an e-mail address a receipt went to, a note's text, a changed name, a reason), and nothing else of
-- them; and only once the customer row is marked erased by that same transaction. Who did what, when, stays.
CREATE OR REPLACE FUNCTION audit_event_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  erasing text := current_setting('patron.erasing_customer', true);
BEGIN
  IF TG_OP = 'UPDATE' AND erasing IS NOT NULL AND erasing <> ''
     AND (NEW.merchant_id, NEW.id, NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.action,
          NEW.entity_type, NEW.entity_id, NEW.request_id, NEW.ip)
         IS NOT DISTINCT FROM
         (OLD.merchant_id, OLD.id, OLD.occurred_at, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.action,
          OLD.entity_type, OLD.entity_id, OLD.request_id, OLD.ip)
     -- Erased in this very transaction (now() is the transaction's start): a later one cannot rewrite them.
     AND EXISTS (SELECT FROM customer c
                 WHERE c.merchant_id = OLD.merchant_id AND c.id::text = erasing AND c.erased_at = now())
     AND (CASE OLD.entity_type
           WHEN 'customer' THEN OLD.entity_id::text = erasing
           WHEN 'sale' THEN EXISTS (SELECT FROM sale s WHERE s.merchant_id = OLD.merchant_id AND s.id = OLD.entity_id
                                    AND s.customer_id::text = erasing)
           WHEN 'invoice' THEN EXISTS (SELECT FROM invoice i WHERE i.merchant_id = OLD.merchant_id
                                       AND i.id = OLD.entity_id AND i.customer_id::text = erasing)
           ELSE false
         END)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END
$$;
GRANT UPDATE (changes) ON audit_event TO patron_app;

-- The words of an erased customer's names that no other customer's name holds leave the table of name
-- words (0023), which would otherwise keep a rare surname after its bearer was erased.
CREATE FUNCTION forget_name_words(p_words text[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
AS $fn$
DECLARE
  m uuid := app_current_merchant();
  forgotten integer;
BEGIN
  DELETE FROM customer_name_word w
  WHERE w.merchant_id = m AND w.word = ANY (p_words)
    AND NOT EXISTS (SELECT FROM customer c
                    WHERE c.merchant_id = m AND c.deleted_at IS NULL AND c.search_names @@ quote_literal(w.word)::tsquery);
  GET DIAGNOSTICS forgotten = ROW_COUNT;
  RETURN forgotten;
END
$fn$;
REVOKE ALL ON FUNCTION forget_name_words(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forget_name_words(text[]) TO patron_app;
