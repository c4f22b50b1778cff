import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';

/**
 * Customer groups through HTTP on a real database: names unique per merchant, the default group kept, a
 * deleted group's customers moved to the default, customers moved by id or by search and filters, the audit
 * log, and who may do what.
 */
let t: TestApp;

interface Group {
  id: string;
  name: string;
  isDefault: boolean;
  size: number;
  totalSpent: number;
}
interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string | null;
  actor: { name: string };
  changes: Record<string, unknown> | null;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function createCustomer(overrides: Record<string, unknown> = {}, as: Client = t.owner) {
  const res = await as.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; group: { id: string; name: string } };
}

/**
 * A customer's maintained statistics, as sales leave them: the group figures are read from them (sales
 * keeping them in step is tested with the sales).
 */
async function spent(customerId: string, amount: number) {
  await sql`UPDATE customer_stats SET total_spent = total_spent + ${amount}::bigint, order_count = order_count + 1
    WHERE customer_id = ${customerId}`.execute(t.database.system);
}

async function createGroup(name: string, as: Client = t.owner): Promise<Group> {
  const res = await as.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function groups(as: Client = t.owner): Promise<Group[]> {
  const res = await as.inject({ method: 'GET', url: '/api/v1/customer-groups' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function group(id: string): Promise<Group> {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customer-groups/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function defaultGroup(): Promise<Group> {
  const found = (await groups()).find((g) => g.isDefault);
  if (!found) throw new Error('No default group');
  return found;
}

function move(groupId: string, payload: Record<string, unknown>, as: Client = t.owner) {
  return as.inject({ method: 'POST', url: `/api/v1/customer-groups/${groupId}/customers`, payload });
}

async function groupOf(customerId: string): Promise<string> {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().group.name;
}

async function groupEvents(entityId: string): Promise<AuditEvent[]> {
  const res = await t.owner.inject({
    method: 'GET',
    url: `/api/v1/audit-events?entityType=customer_group&entityId=${entityId}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as AuditEvent[]).reverse();
}

describe('creating, renaming and listing groups', () => {
  it('creates a group, lists it after the default with its size and total spent, and gets it alone', async () => {
    const res = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customer-groups',
      payload: { name: '  Wholesale ' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'Wholesale', isDefault: false, size: 0, totalSpent: 0 });
    expect(res.headers.location).toBe(`/api/v1/customer-groups/${created.id}`);

    const ann = await createCustomer({ firstName: 'Ann', groupId: created.id });
    const bob = await createCustomer({ firstName: 'Bob', groupId: created.id });
    const gone = await createCustomer({ firstName: 'Gone', groupId: created.id });
    await spent(ann.id, 1250);
    await spent(ann.id, 750);
    await spent(bob.id, 300);
    await spent(gone.id, 99_999);
    // A deleted customer is no longer counted, nor what they spent.
    expect((await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${gone.id}` })).statusCode).toBe(204);

    const all = await groups();
    expect(all[0]).toMatchObject({ name: 'All Customers', isDefault: true });
    expect(all.find((g) => g.id === created.id)).toEqual({ ...created, size: 2, totalSpent: 2300 });
    expect(await group(created.id)).toEqual({ ...created, size: 2, totalSpent: 2300 });
  });

  it('refuses a name another group has, whatever its case, with 409 naming the field', async () => {
    await createGroup('Staff');
    for (const name of ['Staff', 'STAFF', ' staff ', 'all customers']) {
      const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name } });
      expect(res.statusCode, name).toBe(409);
      expect(res.json()).toMatchObject({ code: 'conflict' });
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'name', code: 'taken' })]);
      // Named as the existing group spells it.
      expect(res.json().detail).toMatch(/already a group called "(Staff|All Customers)"/);
    }
    const other = await createGroup('Trade');
    const rename = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${other.id}`,
      payload: { name: 'staff' },
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().errors[0]).toMatchObject({ field: 'name', code: 'taken' });
  });

  it('refuses an empty or over-long name, and unknown fields', async () => {
    for (const payload of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, {}, { name: 'Ok', discount: 5 }]) {
      const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
  });

  it('renames a group (its case too), the default group included, and records it', async () => {
    const vip = await createGroup('Vip');
    const res = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${vip.id}`,
      payload: { name: 'VIP' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: vip.id, name: 'VIP' });
    expect((await groupEvents(vip.id)).map((e) => [e.action, e.changes])).toEqual([
      ['customer_group.created', { name: { from: null, to: 'Vip' } }],
      ['customer_group.renamed', { name: { from: 'Vip', to: 'VIP' } }],
    ]);

    const standard = await defaultGroup();
    const renamed = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${standard.id}`,
      payload: { name: 'Everyone' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Everyone', isDefault: true });
    // New customers still land in it.
    expect(await groupOf((await createCustomer()).id)).toBe('Everyone');
    await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${standard.id}`,
      payload: { name: 'All Customers' },
    });
  });

  it('answers an unknown group with 404', async () => {
    const unknown = '01a20657-0000-7000-8000-000000000000';
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customer-groups/${unknown}` })).statusCode).toBe(404);
    const rename = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${unknown}`,
      payload: { name: 'Nobody' },
    });
    expect(rename.statusCode).toBe(404);
    expect((await t.owner.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${unknown}` })).statusCode).toBe(
      404,
    );
    expect((await move(unknown, { matching: {} })).statusCode).toBe(404);
  });
});

describe('deleting a group', () => {
  it('refuses to delete the default group, and says why', async () => {
    const standard = await defaultGroup();
    const res = await t.owner.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${standard.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/default group.*cannot be deleted/);
    expect((await groups()).some((g) => g.id === standard.id)).toBe(true);
  });

  it("moves the group's customers, deleted ones too, to the default group, and records it", async () => {
    const closing = await createGroup('Closing down');
    const a = await createCustomer({ groupId: closing.id });
    const b = await createCustomer({ groupId: closing.id });
    const deleted = await createCustomer({ groupId: closing.id });
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${deleted.id}` });
    const before = await defaultGroup();

    const res = await t.owner.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${closing.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ customersMoved: 2, movedTo: { ...before, size: before.size + 2 } });
    expect(await groupOf(a.id)).toBe('All Customers');
    expect(await groupOf(b.id)).toBe('All Customers');
    // Moved customers have a new version: an edit form opened before the move is stale.
    const reloaded = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${a.id}` })).json();
    expect(reloaded.version).toBe(a.version + 1);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM customer WHERE group_id = ${closing.id}`.execute(t.database.system);
    expect(rows[0]?.n).toBe(0);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customer-groups/${closing.id}` })).statusCode).toBe(
      404,
    );
    const events = await groupEvents(closing.id);
    expect(events.at(-1)).toMatchObject({
      action: 'customer_group.deleted',
      changes: { name: 'Closing down', customersMoved: 2, movedTo: 'All Customers' },
    });
    // The name is free again.
    await createGroup('Closing down');
  });

  it('never loses a customer when a move into a group and its deletion meet', async () => {
    for (let round = 0; round < 5; round++) {
      const racing = await createGroup(`Racing ${round}`);
      const customer = await createCustomer();
      const [moved, deleted] = await Promise.all([
        move(racing.id, { customerIds: [customer.id] }),
        t.owner.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${racing.id}` }),
      ]);
      expect(deleted.statusCode, deleted.body).toBe(200);
      // Either the move came first (and the delete moved the customer on), or it found the group gone.
      expect([200, 404], moved.body).toContain(moved.statusCode);
      expect(await groupOf(customer.id)).toBe('All Customers');
    }
  });
});

describe('moving customers to a group', () => {
  it('moves the customers named, counts those already there and those not found, and records one event', async () => {
    const regulars = await createGroup('Regulars');
    const a = await createCustomer();
    const b = await createCustomer();
    const there = await createCustomer({ groupId: regulars.id });
    const deleted = await createCustomer();
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${deleted.id}` });
    const unknown = '01a20657-0000-7000-8000-00000000abcd';

    const res = await move(regulars.id, {
      customerIds: [a.id, b.id.toUpperCase(), b.id, there.id, deleted.id, unknown],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      moved: 2,
      alreadyInGroup: 1,
      group: { id: regulars.id, name: 'Regulars', size: 3 },
    });
    expect(res.json().notFound.sort()).toEqual([deleted.id, unknown].sort());
    expect(await groupOf(a.id)).toBe('Regulars');
    expect(await groupOf(b.id)).toBe('Regulars');
    expect(await groupOf(deleted.id).catch(() => 'gone')).toBe('gone');

    const events = await groupEvents(regulars.id);
    const moved = events.filter((e) => e.action === 'customer_group.customers_moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]?.changes).toEqual({ group: 'Regulars', moved: 2, customerIds: [a.id, b.id].sort() });
    expect(moved[0]?.actor.name).toMatch(/^Owner/);

    // Moving them again changes nothing, and records nothing.
    const again = await move(regulars.id, { customerIds: [a.id, b.id] });
    expect(again.json()).toMatchObject({ moved: 0, alreadyInGroup: 2, notFound: [] });
    expect((await groupEvents(regulars.id)).filter((e) => e.action === 'customer_group.customers_moved')).toHaveLength(
      1,
    );
  });

  it('moves every customer matching the filters, and no one else', async () => {
    const big = await createGroup('Big spenders');
    const rich = await createCustomer({ firstName: 'Rich', email: 'rich@example.com' });
    const richNoEmail = await createCustomer({ firstName: 'Quiet', email: null });
    const poor = await createCustomer({ firstName: 'Small', email: 'small@example.com' });
    await spent(rich.id, 50_000);
    await spent(richNoEmail.id, 60_000);
    await spent(poor.id, 100);

    const res = await move(big.id, { matching: { totalSpentMin: 40_000, hasEmail: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      moved: 1,
      alreadyInGroup: 0,
      notFound: [],
      group: { size: 1, totalSpent: 50_000 },
    });
    expect(await groupOf(rich.id)).toBe('Big spenders');
    expect(await groupOf(richNoEmail.id)).toBe('All Customers');
    expect(await groupOf(poor.id)).toBe('All Customers');

    // The list's own spelling of the filters (strings, as in its address) means the same.
    const asInTheAddress = await move(big.id, { matching: { totalSpentMin: '40000', hasEmail: 'false' } });
    expect(asInTheAddress.json()).toMatchObject({ moved: 1, group: { size: 2, totalSpent: 110_000 } });
    expect(await groupOf(richNoEmail.id)).toBe('Big spenders');

    const events = (await groupEvents(big.id)).filter((e) => e.action === 'customer_group.customers_moved');
    expect(events.map((e) => e.changes)).toEqual([
      { group: 'Big spenders', moved: 1, matching: { totalSpentMin: 40_000, hasEmail: true } },
      // Recorded as understood, whichever way it was spelt.
      { group: 'Big spenders', moved: 1, matching: { totalSpentMin: 40_000, hasEmail: false } },
    ]);
  });

  it('moves, with a search, exactly the customers the list shows for it', async () => {
    const bakers = await createGroup('Bakers');
    const flour = await createCustomer({ firstName: 'Florence', lastName: 'Baker', companyName: 'Flour Power' });
    const dough = await createCustomer({ firstName: 'Doug', lastName: 'Baker' });
    const other = await createCustomer({ firstName: 'Barry', lastName: 'Butcher' });
    await spent(flour.id, 500);

    const listed = (await t.owner.inject({ method: 'GET', url: '/api/v1/customers?q=baker' })).json().items;
    expect(listed.map((c: { id: string }) => c.id).sort()).toEqual([flour.id, dough.id].sort());

    // Search and filters together: the list's answer for both.
    const withFilter = await move(bakers.id, { matching: { q: 'baker', ordersMin: 1 } });
    expect(withFilter.json()).toMatchObject({ moved: 1, group: { size: 1 } });
    expect(await groupOf(flour.id)).toBe('Bakers');
    expect(await groupOf(dough.id)).toBe('All Customers');

    const res = await move(bakers.id, { matching: { q: 'baker' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ moved: 1, alreadyInGroup: 1, group: { size: 2 } });
    expect(await groupOf(dough.id)).toBe('Bakers');
    expect(await groupOf(other.id)).toBe('All Customers');

    // A search that finds no one moves no one.
    expect((await move(bakers.id, { matching: { q: 'zzzyyyxxx' } })).json()).toMatchObject({ moved: 0 });
  });

  it('moves every customer with an empty selection: every customer of the merchant', async () => {
    const everyone = await createGroup('Everyone moved');
    const res = await move(everyone.id, { matching: {} });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM customer WHERE merchant_id = ${t.merchantId} AND deleted_at IS NULL`.execute(
      t.database.system,
    );
    expect(res.json().group.size).toBe(rows[0]?.n);
    expect(res.json().moved + res.json().alreadyInGroup).toBe(rows[0]?.n);
    // Put everyone back for the tests after this one.
    await move((await defaultGroup()).id, { matching: {} });
  });

  it('refuses a move that names both, neither, too many, or bad filters', async () => {
    const target = await createGroup('Target');
    const customer = await createCustomer();
    const ids = Array.from({ length: 1001 }, (_, i) => `01a20657-0000-7000-8000-${String(i).padStart(12, '0')}`);
    for (const [payload, field] of [
      [{}, 'customerIds'],
      [{ customerIds: [customer.id], matching: {} }, 'customerIds'],
      [{ customerIds: [] }, 'customerIds'],
      [{ customerIds: ids }, 'customerIds'],
      [{ customerIds: ['not-an-id'] }, 'customerIds.0'],
      [{ matching: { totalSpentMin: 500, totalSpentMax: 100 } }, 'matching.totalSpentMax'],
      [{ matching: { hasEmail: 'maybe' } }, 'matching.hasEmail'],
      [{ matching: { sort: 'name' } }, 'matching.sort'],
    ] as const) {
      const res = await move(target.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        JSON.stringify(payload),
      ).toContain(field);
    }
    expect(await groupOf(customer.id)).toBe('All Customers');
  });
});

describe('who may manage groups', () => {
  it('lets a cashier see groups but not create, rename, delete or move customers', async () => {
    const cashier = await t.as('cashier');
    const group = await createGroup('Cashier cannot touch');
    const customer = await createCustomer();
    expect((await groups(cashier)).some((g) => g.id === group.id)).toBe(true);
    const attempts = [
      cashier.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name: 'By a cashier' } }),
      cashier.inject({ method: 'PATCH', url: `/api/v1/customer-groups/${group.id}`, payload: { name: 'Renamed' } }),
      cashier.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${group.id}` }),
      move(group.id, { customerIds: [customer.id] }, cashier),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden', permission: 'groups:manage' });
    }
    expect(await group.name).toBe('Cashier cannot touch');
    expect(await groupOf(customer.id)).toBe('All Customers');
    // Nor put a customer in a group by editing or creating them; other edits are theirs to make.
    const edit = await cashier.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customer.id}`,
      payload: { groupId: group.id, version: customer.version },
    });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().errors[0]).toMatchObject({ field: 'groupId' });
    const create = await cashier.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ groupId: group.id }),
    });
    expect(create.statusCode).toBe(403);
    const rename = await cashier.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customer.id}`,
      payload: { companyName: 'Fine by a cashier', version: customer.version },
    });
    expect(rename.statusCode, rename.body).toBe(200);
  });

  it('lets a manager manage groups and move customers', async () => {
    const manager = await t.as('manager');
    const made = await createGroup('Made by a manager', manager);
    const customer = await createCustomer();
    expect((await move(made.id, { customerIds: [customer.id] }, manager)).statusCode).toBe(200);
    const rename = await manager.inject({
      method: 'PATCH',
      url: `/api/v1/customer-groups/${made.id}`,
      payload: { name: 'Renamed by a manager' },
    });
    expect(rename.statusCode).toBe(200);
    expect((await manager.inject({ method: 'DELETE', url: `/api/v1/customer-groups/${made.id}` })).statusCode).toBe(
      200,
    );
  });

  it("keeps another merchant's groups and customers out of reach", async () => {
    const other = await t.addMerchant('Other shop');
    const mine = await createGroup('Mine only');
    const customer = await createCustomer();
    const theirGroup = await createGroup('Theirs', other.owner);
    expect((await move(mine.id, { customerIds: [customer.id] }, other.owner)).statusCode).toBe(404);
    const intoTheirs = await move(theirGroup.id, { customerIds: [customer.id] }, other.owner);
    expect(intoTheirs.json()).toMatchObject({ moved: 0, notFound: [customer.id] });
    const everyone = await move(theirGroup.id, { matching: {} }, other.owner);
    expect(everyone.json()).toMatchObject({ moved: 0, group: { size: 0 } });
    expect(await groupOf(customer.id)).toBe('All Customers');
    expect((await groups(other.owner)).map((g) => g.name)).toEqual(['All Customers', 'Theirs']);
    // The same name is fine in another business.
    await createGroup('Mine only', other.owner);
  });
});
