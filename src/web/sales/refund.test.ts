import { describe, expect, it } from 'vitest';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { refundAmount, refundReference, returnable } from './refund.ts';
import { returnedByLine } from './sale-format.ts';

const line: Sale['lines'][number] = {
  lineNo: 1,
  productId: null,
  sku: 'MUG',
  description: 'Mug',
  quantity: 3,
  unitPrice: 1000,
  unitCost: null,
  discount: 100,
  tax: 0,
  total: 2900,
  refundsLineNo: null,
};

describe('refunds', () => {
  it('gives back the share of what a line was paid, and parts add up to the whole', () => {
    const first = refundAmount(line, 1);
    const second = refundAmount(line, 1, 1);
    const third = refundAmount(line, 1, 2);
    expect([first, second, third]).toEqual([-967, -966, -967]);
    expect(first + second + third).toBe(-2900);
    expect(refundAmount(line, 3)).toBe(-2900);
  });

  it('knows what earlier live refunds took back', () => {
    const refund = (status: Sale['status'], quantity: number) =>
      ({ refundOf: 's1', status, lines: [{ ...line, quantity: -quantity, refundsLineNo: 1 }] }) as Sale;
    const returned = returnedByLine({ id: 's1' }, [refund('completed', 1), refund('cancelled', 2)]);
    expect(returned.get(1)).toBe(1);
    expect(returnable(line, returned)).toBe(2);
    expect(refundReference({ receiptRef: 'MS-1' }, 0)).toBe('R-MS-1');
    expect(refundReference({ receiptRef: 'MS-1' }, 1)).toBe('R-MS-1-2');
  });
});
