import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/problem.schema.ts';
import { creditLimitRefusal, saleFieldMessages } from './sale-problem.ts';

const pounds = (minor: number) => `£${(minor / 100).toFixed(2)}`;

const overTheLimit: Problem = {
  type: 'about:blank',
  title: 'Validation failed',
  status: 422,
  code: 'validation_failed',
  errors: [{ field: 'payments.1.amount', code: 'credit_limit', message: 'Would take the account to £80.00…' }],
  creditLimit: 5000,
  balance: 5000,
  available: 0,
};

describe('a refused sale', () => {
  it('reads a credit limit refusal with the figures the server counted, and what the sale put on account', () => {
    const payments = [
      { method: 'card' as const, amount: 500 },
      { method: 'on_account' as const, amount: 3000 },
    ];
    expect(creditLimitRefusal(overTheLimit, payments)).toEqual({
      amount: 3000,
      creditLimit: 5000,
      balance: 5000,
      available: 0,
    });
    // Anything else is not one.
    expect(creditLimitRefusal({ ...overTheLimit, errors: [] }, payments)).toBeNull();
    expect(creditLimitRefusal({ ...overTheLimit, creditLimit: undefined }, payments)).toBeNull();
  });

  it('names the payment and says what to do', () => {
    const payments = [{ method: 'on_account' as const, amount: 1200 }];
    expect(
      saleFieldMessages(
        [{ field: 'payments.0.method', code: 'invoicing_off', message: 'Sales on account are off' }],
        payments,
        pounds,
        1,
      ),
    ).toEqual([
      'On account: sales on account are turned off for the business (Settings → Invoicing). Take payment another way.',
    ]);
    expect(
      saleFieldMessages(
        [
          {
            field: 'groupDiscountPercent',
            code: 'not_group_discount',
            message: "The customer's group (Trade) gives 5%",
          },
        ],
        payments,
        pounds,
        1,
      )[0],
    ).toMatch(/^The group discount has changed: the customer's group \(Trade\) gives 5%\. /);
  });
});
