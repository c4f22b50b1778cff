import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, TEST_PASSWORD, type TestApp } from '../../../tests/support/app.ts';
import { createTestDatabase } from '../../../tests/support/database.ts';
import { buildApp } from '../../platform/http/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const signInAs = (email: string, password: string, ip = '10.9.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: ip });

/** The parts of a problem that identify one request rather than describe the answer. */
const comparable = (body: string) => {
  const { requestId: _r, instance: _i, ...rest } = JSON.parse(body);
  return rest;
};

describe('first run', () => {
  it('asks for the business and its owner once, signs the owner in, and refuses a second setup', async () => {
    const fresh = await createTestDatabase();
    const app = await buildApp({ database: fresh.database });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });
      const payload = {
        businessName: 'Corner Deli',
        ownerName: 'Dana Owner',
        email: 'dana@deli.example.com',
        password: 'a long enough secret',
      };
      const weak = await app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...payload, password: 'short' },
      });
      expect(weak.statusCode).toBe(422);
      expect(weak.json().errors[0]).toMatchObject({ field: 'password', code: 'too_short' });

      const res = await app.inject({ method: 'POST', url: '/api/v1/setup', payload });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        actor: { type: 'user', name: 'Dana Owner', role: 'owner' },
        merchant: { name: 'Corner Deli' },
        permissions: expect.arrayContaining(['staff:manage', 'audit:read']),
      });
      const cookie = res.cookies.find((c) => c.name === 'patron_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: false });
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...payload, email: 'eve@example.com' },
      });
      expect(again.statusCode).toBe(409);
      const session = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/session',
        headers: { cookie: `patron_session=${cookie?.value}` },
      });
      expect(session.json().merchant.name).toBe('Corner Deli');
    } finally {
      await app.close();
      await fresh.drop();
    }
  });
});

describe('sign-in', () => {
  it('gives an unknown email and a wrong password the same answer', async () => {
    const unknown = await signInAs('nobody@nowhere.example.com', 'whatever123', '10.9.1.1');
    const wrong = await signInAs(t.owner.email, 'not the password', '10.9.1.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(comparable(unknown.body)).toEqual(comparable(wrong.body));
    expect(unknown.cookies).toEqual([]);
  });

  it('refuses an account after 10 failed attempts, even with the right password, with Retry-After', async () => {
    const cashier = await t.as('cashier');
    for (let i = 0; i < 10; i++)
      expect((await signInAs(cashier.email, `wrong-${i}`, `10.9.2.${i}`)).statusCode).toBe(401);
    const locked = await signInAs(cashier.email, TEST_PASSWORD, '10.9.2.99');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().code).toBe('rate_limited');
  });

  it('counts a burst of simultaneous guesses as it arrives', async () => {
    const manager = await t.as('manager');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInAs(manager.email, `guess-${i}`, `10.9.6.${i}`)),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(10);
  });

  it('refuses an address after 50 failed attempts across accounts', async () => {
    for (let i = 0; i < 50; i++) await signInAs(`guess${i}@example.com`, 'password123', '10.9.3.3');
    const blocked = await signInAs(t.owner.email, TEST_PASSWORD, '10.9.3.3');
    expect(blocked.statusCode).toBe(429);
    expect((await signInAs(t.owner.email, TEST_PASSWORD, '10.9.3.4')).statusCode).toBe(200);
  });

  it('ends the session on sign-out', async () => {
    const manager = await t.as('manager');
    expect((await manager.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
    expect((await manager.inject({ method: 'POST', url: '/api/v1/auth/sign-out' })).statusCode).toBe(204);
    expect((await manager.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
  });

  it('refuses a change made with the session cookie but without its CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { cookie: t.owner.cookie },
      payload: { firstName: 'Forged' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { cookie: t.owner.cookie, 'x-csrf-token': 'guess' },
      payload: { firstName: 'Forged' },
    });
    expect(wrong.statusCode).toBe(403);
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie: t.owner.cookie } });
    expect(read.statusCode).toBe(200);
  });

  it('marks the session cookie Secure behind an HTTPS proxy, and believes no forwarded header otherwise', async () => {
    const proxied = await buildApp({ database: t.database, trustProxy: true });
    try {
      const viaHttps = await proxied.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: t.owner.email, password: TEST_PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(viaHttps.cookies[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await proxied.close();
    }
    const direct = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: t.owner.email, password: TEST_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(direct.cookies[0]?.secure).toBeUndefined();
  });
});

describe('passwords', () => {
  it('lets a person change their own password, ending their other sessions', async () => {
    const admin = await t.as('admin');
    const elsewhere = await signIn(t.app, admin.email, TEST_PASSWORD);
    const wrong = await admin.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'nope', newPassword: 'a brand new secret' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'currentPassword' });
    const res = await admin.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new secret' },
    });
    expect(res.statusCode).toBe(204);
    expect((await admin.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
    expect((await elsewhere.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
    expect((await signInAs(admin.email, 'a brand new secret', '10.9.5.1')).statusCode).toBe(200);
  });
});
