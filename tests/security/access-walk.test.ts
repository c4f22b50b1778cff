import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../src/platform/http/auth.ts';
import { type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '../../src/shared/permissions.ts';
import { type Client, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Every route of the OpenAPI document, with every role and with no session: the answer must be the
 * one the permission table predicts. A route added later is walked too; one without a declared
 * access cannot even start.
 */
interface Operation {
  method: string;
  path: string;
  access: Access;
}

let t: TestApp;
let operations: Operation[];
const clients = {} as Record<Role, Client>;
const UNKNOWN_ID = '01a20657-0000-7000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  operations = Object.entries(doc.paths as Record<string, Record<string, { 'x-permission'?: Access }>>).flatMap(
    ([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-permission'] as Access,
      })),
  );
  clients.owner = t.owner;
  for (const role of ROLES.filter((r) => r !== 'owner')) clients[role] = await t.as(role);
});
afterAll(async () => {
  await t?.close();
});

function request(op: Operation) {
  const url = op.path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
  return { method: op.method as 'GET', url, ...(['POST', 'PATCH', 'PUT'].includes(op.method) ? { payload: {} } : {}) };
}

/** Ending the walker's own session would spoil the rest of the walk: sign-out is checked for anonymity only. */
const endsTheSession = (op: Operation) => op.path === '/api/v1/auth/sign-out';

describe('the access walk', () => {
  it('finds every API route with a declared access', () => {
    const api = operations.filter((op) => op.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(15);
    expect(api.filter((op) => !op.access)).toEqual([]);
  });

  it('refuses every guarded route without a session, with 401', async () => {
    for (const op of operations.filter((o) => o.access !== 'public')) {
      const res = await t.app.inject(request(op));
      expect(res.statusCode, `${op.method} ${op.path}`).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
  });

  for (const role of ROLES) {
    it(`gives the ${role} exactly what the permission table says`, async () => {
      const allowed = new Set<Permission>(ROLE_PERMISSIONS[role]);
      for (const op of operations.filter((o) => o.access !== 'public' && !endsTheSession(o))) {
        const res = await clients[role].inject(request(op));
        const label = `${role}: ${op.method} ${op.path} (${op.access})`;
        if (op.access === 'signed-in' || allowed.has(op.access as Permission)) {
          expect([401, 403], label).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json(), label).toMatchObject({ code: 'forbidden', permission: op.access });
        }
      }
    });
  }

  it('gives a cashier customer work but not delete, import, export, staff, settings or the audit log', () => {
    const cashier = new Set(ROLE_PERMISSIONS.cashier);
    expect(cashier.has('customers:read') && cashier.has('customers:write') && cashier.has('sales:write')).toBe(true);
    for (const p of [
      'customers:delete',
      'customers:import',
      'customers:export',
      'audit:read',
      'staff:manage',
      'settings:manage',
    ] as const) {
      expect(cashier.has(p), p).toBe(false);
    }
    const manager = new Set(ROLE_PERMISSIONS.manager);
    expect(manager.has('customers:delete') && manager.has('customers:export')).toBe(true);
    expect(manager.has('staff:manage') || manager.has('settings:manage')).toBe(false);
  });
});
