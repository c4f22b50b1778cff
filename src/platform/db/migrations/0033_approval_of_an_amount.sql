-- A manager's approval of a sale past a customer's credit limit is for that customer and at most that amount on
-- their account, not only for the sale's Idempotency-Key: the key is the cashier's to choose, and an approval of
-- £44.10 on one customer's account must not let £5,000 onto another's. Both are null for the approval of a cancel
-- or a refund, which is for the sale it names.
ALTER TABLE approval
  ADD COLUMN customer_id uuid,
  ADD COLUMN amount bigint CHECK (amount > 0);
