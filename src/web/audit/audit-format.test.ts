import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../features/audit/audit.schema.ts';
import { formatMoney } from '../../shared/money.ts';
import { setDisplayTimeZone } from '../lib/format.ts';
import { changeLines, lineText } from './audit-format.ts';

const context = { money: (minor: number) => formatMoney(minor, 'AUD') };

function event(action: AuditEvent['action'], entityType: AuditEvent['entityType'], changes: object): AuditEvent {
  return {
    id: '1',
    occurredAt: '2026-11-24T21:00:00.000Z',
    actor: { type: 'user', id: null, name: 'Manager' },
    action,
    entityType,
    entityId: null,
    changes: changes as Record<string, unknown>,
    requestId: null,
    ip: null,
  };
}

const texts = (e: AuditEvent) => changeLines(e, context).map(lineText);

describe('audit events in words', () => {
  it('shows a store-credit adjustment in money with its reason, and a loyalty one in points', () => {
    const credit = event('customer.balance_adjusted', 'customer', {
      balance: 'store_credit',
      amount: 1550,
      after: 1550,
      note: 'Apology for late delivery',
    });
    expect(texts(credit)).toEqual(
      expect.arrayContaining([
        'Balance: Store credit',
        `Amount: ${formatMoney(1550, 'AUD')}`,
        `Balance after: ${formatMoney(1550, 'AUD')}`,
        'Reason: Apology for late delivery',
      ]),
    );
    const points = event('customer.balance_adjusted', 'customer', { balance: 'loyalty', amount: -12, after: 88 });
    expect(texts(points)).toEqual(
      expect.arrayContaining(['Balance: Loyalty points', 'Amount: -12 points', 'Balance after: 88 points']),
    );
  });

  it('says what a manager approved at the till, and for how much, without record ids', () => {
    const approval = event('user.approval_given', 'user', {
      permission: 'invoices:manage',
      recordId: '01a21060-7c43-70d4-b0e5-a90de6ae2bdb',
      customerId: '01a21060-7c39-747f-8c50-b9fb94c73a2f',
      amount: 4410,
      approvedBy: 'Mia Manager',
    });
    expect(texts(approval)).toEqual([
      'Approved: Void invoices, set credit limits and let a sale past one',
      `On the customer’s account, at most: ${formatMoney(4410, 'AUD')}`,
      'By: Mia Manager',
    ]);
  });

  it('names the invoices an invoice payment paid off, and how it was paid', () => {
    const settled = event('invoice.settled', 'customer', {
      amount: 3000,
      method: 'bank_transfer',
      allocations: [
        { reference: 'INV-00003', amount: 1890 },
        { reference: 'INV-00004', amount: 1110 },
      ],
    });
    const lines = texts(settled);
    expect(lines).toEqual(
      expect.arrayContaining([
        `Amount: ${formatMoney(3000, 'AUD')}`,
        'Paid by: Bank transfer',
        `Paid off: INV-00003 ${formatMoney(1890, 'AUD')}, INV-00004 ${formatMoney(1110, 'AUD')}`,
      ]),
    );
    expect(lines.join('\n')).not.toContain('[object Object]');
  });

  it('shows settings amounts in money and payment methods by name', () => {
    const settings = event('settings.updated', 'settings', {
      defaultCreditLimit: { from: null, to: 20000 },
      loyaltyEarningMethods: { from: ['cash'], to: ['cash', 'gift_card'] },
    });
    expect(texts(settings)).toEqual([
      'Payments that earn points: Cash → Cash, Gift card',
      `Default credit limit: — → ${formatMoney(20000, 'AUD')}`,
    ]);
  });

  it('gives a report’s period as the days chosen: the day before its exclusive end', () => {
    setDisplayTimeZone('Australia/Sydney');
    const report = event('report.exported', 'report', {
      report: 'receipts',
      filter: { to: '2030-01-02T13:00:00.000Z', from: '2029-12-31T13:00:00.000Z' },
      rows: 4,
    });
    const filter = texts(report).find((line) => line.startsWith('Filter'));
    const day = (iso: string) =>
      new Intl.DateTimeFormat(undefined, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'Australia/Sydney',
      }).format(new Date(iso));
    // 1 and 2 January in Sydney: the filter ends at midnight starting the 3rd.
    expect(filter).toBe(`Filter: ${day('2029-12-31T13:00:00.000Z')} – ${day('2030-01-01T13:00:00.000Z')}`);
    expect(filter).not.toContain(day('2030-01-02T13:00:00.000Z'));
  });
});
