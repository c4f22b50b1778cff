import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { type SmtpTestServer, startSmtpServer } from '../../../tests/support/smtp.ts';

let t: TestApp;
let smtp: SmtpTestServer;
let storeId: string;

beforeAll(async () => {
  [t, smtp] = await Promise.all([createTestApp(), startSmtpServer()]);
  storeId = await firstStoreId(t.owner);
  await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: { businessName: 'Harbour Coffee', currency: 'AUD' },
  });
});
afterAll(async () => {
  await Promise.all([t?.close(), smtp?.stop()]);
});

async function saleFor(customerId: string, receiptRef: string) {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef,
      customer: { id: customerId },
      soldAt: '2026-06-15T23:30:00Z',
      lines: [
        { description: 'Flat white', quantity: 2, unitPrice: 480 },
        { description: 'Banana bread', quantity: 1, unitPrice: 650, discount: 50 },
      ],
      payments: [{ method: 'card', amount: 1560 }],
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('receipts', () => {
  it('refuses to email before email is set up, saying where to set it up', async () => {
    const c = (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer() })).json();
    const sale = await saleFor(c.id, 'E-0');
    const res = await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${sale.id}/email`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('Settings → Email');
  });

  it("emails the receipt to the customer's address through the merchant's SMTP server", async () => {
    const saved = await t.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        fromAddress: 'hello@harbour.example.com',
        fromName: 'Harbour Coffee',
      },
    });
    expect(saved.json()).toMatchObject({ configured: true, port: smtp.port, passwordSet: false });
    const c = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: newCustomer({ email: 'ana@example.com' }),
      })
    ).json();
    const sale = await saleFor(c.id, 'E-1');
    const sent = await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${sale.id}/email`, payload: {} });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toEqual({ to: 'ana@example.com' });

    const [message] = await smtp.waitFor(1);
    expect(message?.envelopeTo).toBe('ana@example.com');
    expect(message?.subject).toBe('Your receipt E-1 from Harbour Coffee');
    expect(message?.from?.text).toContain('hello@harbour.example.com');
    expect(message?.text).toContain('2 × Flat white');
    expect(message?.text).toContain('Total: A$15.60');
    expect(message?.html).toContain('Banana bread');
  });

  it('emails to another address when asked, and records it', async () => {
    const c = (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer() })).json();
    const sale = await saleFor(c.id, 'E-2');
    const before = (await smtp.messages()).length;
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/email`,
      payload: { to: 'accounts@business.example.com' },
    });
    const messages = await smtp.waitFor(before + 1);
    expect(messages.at(-1)?.envelopeTo).toBe('accounts@business.example.com');
    const events = (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${sale.id}` })).json()
      .items;
    expect(events[0]).toMatchObject({ action: 'sale.emailed', changes: { to: 'accounts@business.example.com' } });
  });

  it('says what the mail server said when it cannot be reached', async () => {
    await t.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: { host: '127.0.0.1', port: 1, security: 'none', fromAddress: 'hello@harbour.example.com' },
    });
    const c = (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer() })).json();
    const sale = await saleFor(c.id, 'E-3');
    const res = await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${sale.id}/email`, payload: {} });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'email_failed', detail: expect.stringContaining('127.0.0.1:1') });
    expect(res.json().detail).toContain('refused');
  });

  it('asks for the SMTP password again before sending it to another server', async () => {
    const base = {
      host: 'smtp.one.example.com',
      port: 587,
      security: 'starttls',
      username: 'shop',
      fromAddress: 'hello@harbour.example.com',
    };
    await t.owner.inject({ method: 'PUT', url: '/api/v1/settings/email', payload: { ...base, password: 'secret-1' } });
    const moved = await t.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: { ...base, host: 'smtp.evil.example.com' },
    });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().errors[0]).toMatchObject({ field: 'password', code: 'required' });
    const same = await t.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: { ...base, fromName: 'Harbour' },
    });
    expect(same.json()).toMatchObject({ passwordSet: true, fromName: 'Harbour' });
  });

  it('keeps the currency once sales are recorded in it', async () => {
    const res = await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { currency: 'JPY' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ field: 'currency', code: 'locked' });
  });

  /** A sale of 23:30 UTC on 15 June 2026 in a store in Sydney, where it was 09:30 on 16 June. */
  async function saleInSydney(receiptRef: string) {
    await t.database.system
      .updateTable('store')
      .set({ timeZone: 'Australia/Sydney' })
      .where('id', '=', storeId)
      .execute();
    const c = (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer() })).json();
    return saleFor(c.id, receiptRef);
  }

  it('prints the receipt as a page, with the time in the store time zone', async () => {
    const sale = await saleInSydney('P-1');
    const res = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${sale.id}/receipt` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<h1>Harbour Coffee</h1>');
    // 23:30 UTC on 15 June is 09:30 on 16 June in Sydney, written as the business's country writes it: this
    // merchant is in the US (the default), where the Australian dollar is marked as foreign.
    const page = res.body.replaceAll('\u202f', ' ');
    expect(page).toContain('Jun 16, 2026, 9:30 AM');
    expect(page).toContain('A$15.60');
    expect(res.body).toContain('window.print()');
  });

  it('writes the receipt’s time and amounts as the business’s country writes them', async () => {
    const sale = await saleInSydney('P-2');
    const receiptIn = async (defaultCountry: string) => {
      const set = await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { defaultCountry } });
      expect(set.statusCode, set.body).toBe(200);
      const res = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${sale.id}/receipt` });
      return res.body.replaceAll('\u202f', ' ');
    };
    try {
      const australian = await receiptIn('AU');
      expect(australian).toContain('16 June 2026, 9:30 am');
      expect(australian).toContain('$15.60');
      expect(australian).not.toContain('A$');
      const british = await receiptIn('GB');
      expect(british).toContain('16 Jun 2026, 09:30');
    } finally {
      await receiptIn('US');
    }
  });
});
