import { type Faker, fakerDE, fakerEN_AU, fakerEN_GB, fakerEN_US, fakerES, fakerFR } from '@faker-js/faker';
import { v7 as uuidv7 } from 'uuid';
import { findMerchantWithoutOwner, findUserByEmail, insertUser } from '../features/auth/auth.repository.ts';
import { normalizePhone } from '../features/customers/customer.rules.ts';
import { insertStore } from '../features/merchants/merchant.repository.ts';
import { createMerchant } from '../features/merchants/merchant.service.ts';
import { ProductService } from '../features/products/product.service.ts';
import { saleCreateSchema } from '../features/sales/sale.schema.ts';
import { SaleService } from '../features/sales/sale.service.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { loadConfig } from '../platform/config.ts';
import type { RequestContext } from '../platform/context.ts';
import { Database } from '../platform/db/database.ts';
import { openEmbeddedPostgres } from '../platform/db/embedded-postgres.ts';
import { migrateToLatest, verifyAppRole } from '../platform/db/migrate.ts';
import type { NewCustomerRow } from '../platform/db/schema.ts';
import { ROLE_PERMISSIONS } from '../shared/permissions.ts';
import {
  defaultGroupId,
  demoCustomerIds,
  existingCodes,
  hasReceiptsLike,
  insertCustomers,
  renameMerchant,
  renameStore,
  storeNames,
} from './demo.repository.ts';

const CUSTOMERS = Number(process.env.DEMO_CUSTOMERS ?? 3000);
const CODE_PREFIX = 'DEMO-';

/** Where demo customers come from: mostly locals, some visitors, each with phones of their own country. */
const ORIGINS: { faker: Faker; country: string; weight: number; phones: string[] }[] = [
  { faker: fakerEN_AU, country: 'AU', weight: 55, phones: ['04## ### ###', '(02) 9### ####', '(03) 9### ####'] },
  { faker: fakerEN_GB, country: 'GB', weight: 12, phones: ['+44 7### ######', '+44 20 7### ####'] },
  { faker: fakerEN_US, country: 'US', weight: 12, phones: ['+1 (212) 555-####', '+1 (415) 555-####'] },
  { faker: fakerDE, country: 'DE', weight: 8, phones: ['+49 151 #######', '+49 30 #######'] },
  { faker: fakerFR, country: 'FR', weight: 7, phones: ['+33 6 ## ## ## ##', '+33 1 ## ## ## ##'] },
  { faker: fakerES, country: 'ES', weight: 6, phones: ['+34 6## ### ###', '+34 91 ### ## ##'] },
];

function pickOrigin(n: number) {
  const total = ORIGINS.reduce((sum, o) => sum + o.weight, 0);
  let point = n % total;
  for (const origin of ORIGINS) {
    if (point < origin.weight) return origin;
    point -= origin.weight;
  }
  return ORIGINS[0] as (typeof ORIGINS)[number];
}

function phoneFor(origin: (typeof ORIGINS)[number]): { text: string; e164: string } | null {
  for (let attempt = 0; attempt < 5; attempt++) {
    const text = origin.faker.helpers.replaceSymbols(origin.faker.helpers.arrayElement(origin.phones));
    const result = normalizePhone('phone', text, 'AU');
    if ('e164' in result) return { text, e164: result.e164 };
  }
  return null;
}

function demoCustomer(index: number, ctx: { groupId: string; storeIds: string[] }): NewCustomerRow {
  const origin = pickOrigin(index * 7919);
  const f = origin.faker;
  f.seed(index + 1);
  const sex = f.person.sex() as 'female' | 'male';
  const firstName = f.person.firstName(sex);
  const lastName = f.person.lastName(sex);
  const company = f.number.int(100) < 12 ? f.company.name() : null;
  const hasEmail = f.number.int(100) < 85;
  const email = hasEmail
    ? `${f.internet
        .username({ firstName, lastName })
        .toLowerCase()
        .replace(
          /[^a-z0-9._-]/g,
          '',
        )}.${index}@${f.helpers.arrayElement(['example.com', 'example.net', 'example.org'])}`
    : null;
  const phone = f.number.int(100) < 80 ? phoneFor(origin) : null;
  const mobile = f.number.int(100) < 20 ? phoneFor(origin) : null;
  const birth = f.number.int(100) < 40 ? f.date.birthdate({ mode: 'age', min: 18, max: 85 }) : null;
  const withAddress = f.number.int(100) < 60;
  const taxExempt = company !== null && f.number.int(100) < 30;
  const createdAt = f.date.past({ years: 3, refDate: new Date('2026-11-01T00:00:00Z') });
  return {
    merchantId: '', // filled in by the caller
    id: uuidv7({ msecs: createdAt.getTime() }),
    code: `${CODE_PREFIX}${String(index + 1).padStart(5, '0')}`,
    firstName,
    lastName,
    companyName: company,
    email,
    phone: phone?.text ?? null,
    phoneE164: phone?.e164 ?? null,
    mobile: mobile?.text ?? null,
    mobileE164: mobile?.e164 ?? null,
    website: company && f.number.int(100) < 50 ? `https://www.${f.internet.domainWord()}.example.com/` : null,
    twitter:
      f.number.int(100) < 5
        ? `@${f.internet
            .username({ firstName })
            .replace(/[^A-Za-z0-9_]/g, '')
            .slice(0, 15)}`
        : null,
    birthYear: birth && f.number.int(100) < 80 ? birth.getUTCFullYear() : null,
    birthMonth: birth ? birth.getUTCMonth() + 1 : null,
    birthDay: birth ? birth.getUTCDate() : null,
    physicalLine1: withAddress ? f.location.streetAddress() : null,
    physicalLine2: withAddress && f.number.int(100) < 15 ? f.location.secondaryAddress() : null,
    physicalSuburb: null,
    physicalCity: withAddress ? f.location.city() : null,
    physicalState:
      withAddress && (origin.country === 'AU' || origin.country === 'US')
        ? f.location.state({ abbreviated: true })
        : null,
    physicalPostcode: withAddress ? f.location.zipCode() : null,
    physicalCountry: withAddress ? origin.country : null,
    note:
      f.number.int(100) < 10
        ? f.helpers.arrayElement([
            'Prefers oat milk',
            'Allergic to nuts',
            'Regular on Fridays',
            'Ask about the loyalty card',
            'Buys gifts at Christmas',
          ])
        : null,
    taxExempt,
    salesTaxNumber: taxExempt ? `ABN ${f.string.numeric(11)}` : null,
    emailMarketing: hasEmail && f.number.int(100) < 45,
    smsMarketing: phone !== null && f.number.int(100) < 20,
    loyaltyOptIn: f.number.int(100) < 35,
    groupId: ctx.groupId,
    createdStoreId: f.helpers.arrayElement(ctx.storeIds),
    source: f.helpers.weightedArrayElement([
      { weight: 60, value: 'pos' as const },
      { weight: 25, value: 'ecommerce' as const },
      { weight: 10, value: 'backoffice' as const },
      { weight: 5, value: 'import' as const },
    ]),
    createdAt,
    updatedAt: createdAt,
  };
}

/** Sign-ins of the demo merchant's people: printed at the end, so anyone can try each role. */
const DEMO_PEOPLE = [
  { name: 'Olivia Owner', email: 'owner@harbour.example.com', role: 'owner' as const },
  { name: 'Max Manager', email: 'manager@harbour.example.com', role: 'manager' as const },
  { name: 'Cara Cashier', email: 'cashier@harbour.example.com', role: 'cashier' as const },
];
const DEMO_PASSWORD = 'harbour-demo';

/** The demo merchant: the one its owner belongs to, or one without an owner yet, or a new one. */
async function demoMerchant(database: Database): Promise<string> {
  const owner = await findUserByEmail(database.system, DEMO_PEOPLE[0]?.email as string);
  if (owner) return owner.merchantId;
  const merchantId =
    (await findMerchantWithoutOwner(database.system)) ??
    (await createMerchant(database, { name: 'Harbour Coffee & Goods' }));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await database.withMerchant(merchantId, async (trx) => {
    for (const person of DEMO_PEOPLE) {
      if (await findUserByEmail(database.system, person.email)) continue;
      await insertUser(trx, { merchantId, id: uuidv7(), ...person, passwordHash });
    }
  });
  return merchantId;
}

/** What Harbour Coffee & Goods sells (prices and costs in cents, AUD). */
const DEMO_PRODUCTS = [
  { sku: 'FW-01', name: 'Flat white', price: 450, cost: 95 },
  { sku: 'LAT-01', name: 'Latte', price: 450, cost: 95 },
  { sku: 'LB-01', name: 'Long black', price: 400, cost: 70 },
  { sku: 'CHAI-01', name: 'Chai latte', price: 500, cost: 110 },
  { sku: 'CROI-01', name: 'Butter croissant', price: 395, cost: 140 },
  { sku: 'BANB-01', name: 'Banana bread', price: 550, cost: 160 },
  { sku: 'SAND-01', name: 'Ham & cheese toastie', price: 1150, cost: 420 },
  { sku: 'BEAN-250', name: 'House blend beans 250g', price: 1890, cost: 820 },
  { sku: 'BEAN-1KG', name: 'House blend beans 1kg', price: 4299, cost: 2650 },
  { sku: 'CUP-KC', name: 'KeepCup 12oz', price: 3295, cost: 1500 },
];
/** Demo sales a year back: every fifth demo customer is a regular of some kind. */
const DEMO_SALES = Number(process.env.DEMO_SALES ?? 4000);
const DEMO_RECEIPT_PREFIX = 'DEMO-';

/**
 * The catalogue, and a year of sales by the demo's regulars (recorded as the till records them, so statistics,
 * history and reports add up). Sales are added once: a demo that has its sales keeps them.
 */
async function demoSales(database: Database, merchantId: string, storeIds: string[]): Promise<number> {
  const cashier = await findUserByEmail(database.system, DEMO_PEOPLE[2]?.email as string);
  const ctx: RequestContext = {
    merchantId,
    actor: { type: 'user', id: cashier?.id ?? null, name: DEMO_PEOPLE[2]?.name as string },
    permissions: new Set(ROLE_PERMISSIONS.cashier),
  };
  const products = new ProductService(database);
  for (const product of DEMO_PRODUCTS) await products.upsert(ctx, product);
  const { customerIds, hasSales } = await database.withMerchant(merchantId, async (trx) => ({
    customerIds: await demoCustomerIds(trx, CODE_PREFIX),
    hasSales: await hasReceiptsLike(trx, DEMO_RECEIPT_PREFIX),
  }));
  if (hasSales || customerIds.length === 0) return 0;
  const regulars = customerIds.filter((_, index) => index % 5 === 0);
  const f = fakerEN_AU;
  f.seed(2026);
  const sales = new SaleService(database);
  const now = Date.now();
  const day = 24 * 3600 * 1000;
  let done = 0;
  // Sixteen at a time, as a few tills and the online shop would.
  for (let start = 0; start < DEMO_SALES; start += 16) {
    const batch = [];
    for (let n = start; n < Math.min(start + 16, DEMO_SALES); n++) {
      // A few customers come often: the square skews the choice towards the first regulars.
      const who = regulars[Math.floor(f.number.float({ min: 0, max: 1 }) ** 2 * regulars.length)] as string;
      const online = f.number.int({ min: 1, max: 10 }) === 1;
      const picked = f.helpers.arrayElements(DEMO_PRODUCTS, { min: 1, max: 3 });
      const lines = picked.map((p) => ({ sku: p.sku, quantity: f.number.int({ min: 1, max: 2 }), unitPrice: p.price }));
      const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      // Opening hours in Sydney (UTC+10/11): 7am to 3pm is 20:00 to 05:00 UTC the day before.
      const soldAt = new Date(now - f.number.int({ min: 1, max: 365 }) * day);
      soldAt.setUTCHours(20 + f.number.int({ min: 0, max: 8 }), f.number.int({ min: 0, max: 59 }));
      if (soldAt.getTime() > now) soldAt.setTime(soldAt.getTime() - day);
      const method = online ? 'card' : f.helpers.arrayElement(['card', 'card', 'card', 'cash']);
      const input = saleCreateSchema.parse({
        storeId: online ? storeIds[1] : storeIds[0],
        register: online ? undefined : `Till ${f.number.int({ min: 1, max: 2 })}`,
        receiptRef: `${DEMO_RECEIPT_PREFIX}${String(n + 1).padStart(6, '0')}`,
        channel: online ? 'ecommerce' : 'pos',
        soldAt: soldAt.toISOString(),
        customer: { id: who },
        lines,
        payments: [{ method, amount: total }],
      });
      batch.push(sales.record(ctx, input));
    }
    await Promise.all(batch);
    done += batch.length;
    process.stdout.write(`\rRecording demo sales: ${done}/${DEMO_SALES}`);
  }
  process.stdout.write('\n');
  return done;
}

/** `npm run demo`: a demo merchant with two stores and a few thousand customers. Run it again: nothing doubles. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = config.databaseUrl
    ? undefined
    : await openEmbeddedPostgres({ dataDir: config.dataDir, settings: config.postgresSettings });
  const database = new Database({ url: config.databaseUrl ?? (server?.url as string) });
  try {
    await migrateToLatest(database.system);
    await verifyAppRole(database.system);
    const merchantId = await demoMerchant(database);
    const { storeIds, groupId, have } = await database.withMerchant(merchantId, async (trx) => {
      await renameMerchant(trx, {
        name: 'Harbour Coffee & Goods',
        currency: 'AUD',
        defaultCountry: 'AU',
        timeZone: 'Australia/Sydney',
      });
      const stores = await storeNames(trx);
      // The store every merchant starts with becomes the demo's street store.
      const first = stores.get('Main store');
      if (first && !stores.has('Harbour St store')) {
        await renameStore(trx, first, 'Harbour St store');
        stores.delete('Main store');
        stores.set('Harbour St store', first);
      }
      for (const [name, channel] of [
        ['Harbour St store', 'pos'],
        ['Online shop', 'ecommerce'],
      ] as const) {
        if (!stores.has(name)) {
          const id = uuidv7();
          await insertStore(trx, { merchantId, id, name, timeZone: 'Australia/Sydney', channel });
          stores.set(name, id);
        }
      }
      return {
        storeIds: [stores.get('Harbour St store') as string, stores.get('Online shop') as string],
        groupId: await defaultGroupId(trx),
        have: await existingCodes(trx, CODE_PREFIX),
      };
    });

    let added = 0;
    const batch = 500;
    for (let start = 0; start < CUSTOMERS; start += batch) {
      const rows: NewCustomerRow[] = [];
      for (let i = start; i < Math.min(start + batch, CUSTOMERS); i++) {
        const row = demoCustomer(i, { groupId, storeIds });
        if (!have.has(row.code as string)) rows.push({ ...row, merchantId });
      }
      await database.withMerchant(merchantId, (trx) => insertCustomers(trx, rows));
      added += rows.length;
      process.stdout.write(`\rLoading demo customers: ${Math.min(start + batch, CUSTOMERS)}/${CUSTOMERS}`);
    }
    process.stdout.write('\n');
    const recorded = await demoSales(database, merchantId, storeIds);
    process.stdout.write(
      `Demo merchant "Harbour Coffee & Goods": 2 stores, ${CUSTOMERS} demo customers (${added} added now, ${CUSTOMERS - added} were already there), ${DEMO_PRODUCTS.length} products, ${recorded > 0 ? `${recorded} sales recorded now` : 'its sales as they were'}.\n` +
        `Sign in with password "${DEMO_PASSWORD}" as:\n${DEMO_PEOPLE.map((p) => `  ${p.email.padEnd(30)} ${p.role}`).join('\n')}\n`,
    );
  } finally {
    await database.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
