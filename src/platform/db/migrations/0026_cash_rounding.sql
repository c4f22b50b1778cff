-- Cash rounding: where the smallest coins are gone (Australia and Canada round cash to 5 cents, New Zealand to
-- 10, Sweden to a krona), a cash payment is rounded to the nearest coin and the sale's total moves by the
-- difference, as the receipt shows ("Rounding −0.02"). The increment in minor units, or 0 for none (the default:
-- a business turns it on in Settings). A sale keeps no column of its own for it: the rounding of a sale is its
-- total less the total of its lines, 0 for every sale recorded before.
ALTER TABLE merchant ADD COLUMN cash_rounding integer NOT NULL DEFAULT 0
  CHECK (cash_rounding IN (0, 5, 10, 50, 100));
