import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import { byValues, type Database, type MerchantScope, type Trx } from '../../platform/db/database.ts';
import { foreignKeyViolation, uniqueViolation } from '../../platform/db/errors.ts';
import type { CustomerRowUpdate } from '../../platform/db/schema.ts';
import { decodeValues, encodeValues, invalidCursor } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { FieldError } from '../../shared/problem.schema.ts';
import { diffFields, recordAudit } from '../audit/audit.service.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { settingsIn } from '../settings/settings.service.ts';
import { ADDRESS_PARTS, column, columnsFrom } from './customer.columns.ts';
import {
  type CustomerFilterValues,
  type CustomerMatch,
  type CustomerRecord,
  countCustomers,
  countSearchMatches,
  filterCustomerIds,
  findCustomer,
  findCustomersByIds,
  findDefaultGroup,
  findGroup,
  gatherMatchIds,
  idsMatch,
  insertCustomer,
  insertNote,
  limitSearchTime,
  listCustomers,
  listNotes,
  matchesAsTyped,
  rankedMatchIds,
  resolveDays,
  SEARCH_TIMEOUT_MS,
  type SearchSelection,
  type SortPosition,
  searchCustomerIds,
  searchCustomerIdsFuzzy,
  searchMatch,
  softDeleteCustomer,
  storeExists,
  updateCustomer,
} from './customer.repository.ts';
import { checkCustomerRules, normalizePhone, phoneCountry } from './customer.rules.ts';
import {
  type Customer,
  type CustomerCreate,
  type CustomerFilter,
  type CustomerListPage,
  type CustomerListQuery,
  type CustomerNote,
  type CustomerSortKey,
  type CustomerSource,
  type CustomerUpdate,
  SEARCH_RANKS_AT_MOST,
} from './customer.schema.ts';
import { planSearch, type SearchPlan } from './customer-search.ts';

/** Bookkeeping and derived fields: an audit entry names what a person changed. */
const AUDIT_IGNORED = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'updatedBy',
  'groupKey',
  'stats',
  'phoneE164',
  'mobileE164',
  'group.name',
] as const;

function addressOf(row: CustomerRecord, kind: 'physical' | 'postal') {
  return Object.fromEntries(
    ADDRESS_PARTS.map((part) => [part, row[column(kind, part)]]),
  ) as Customer['physicalAddress'];
}

function dateOfBirthOf(row: CustomerRecord): string | null {
  if (row.birthMonth === null || row.birthDay === null) return null;
  const md = `${String(row.birthMonth).padStart(2, '0')}-${String(row.birthDay).padStart(2, '0')}`;
  return row.birthYear === null ? `--${md}` : `${String(row.birthYear).padStart(4, '0')}-${md}`;
}

function statsOf(row: CustomerRecord): Customer['stats'] {
  const totalSpent = row.totalSpent ?? 0;
  const orderCount = row.orderCount ?? 0;
  return {
    totalSpent,
    orderCount,
    averageOrder: orderCount > 0 ? Math.round(totalSpent / orderCount) : 0,
    visitCount: row.visitCount ?? 0,
    returnCount: row.returnCount ?? 0,
    firstOrderAt: row.firstOrderAt ? new Date(row.firstOrderAt).toISOString() : null,
    lastOrderAt: row.lastOrderAt ? new Date(row.lastOrderAt).toISOString() : null,
  };
}

export function toCustomer(row: CustomerRecord): Customer {
  return {
    id: row.id,
    code: row.code,
    firstName: row.firstName,
    lastName: row.lastName,
    companyName: row.companyName,
    email: row.email,
    phone: row.phone,
    phoneE164: row.phoneE164,
    mobile: row.mobile,
    mobileE164: row.mobileE164,
    website: row.website,
    twitter: row.twitter,
    dateOfBirth: dateOfBirthOf(row),
    physicalAddress: addressOf(row, 'physical'),
    postalAddress: addressOf(row, 'postal'),
    note: row.note,
    taxExempt: row.taxExempt,
    salesTaxNumber: row.salesTaxNumber,
    emailMarketing: row.emailMarketing,
    smsMarketing: row.smsMarketing,
    loyaltyOptIn: row.loyaltyOptIn,
    group: { id: row.groupId, name: row.groupName },
    createdStoreId: row.createdStoreId,
    source: row.source,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    updatedBy: row.updatedByName,
    groupKey: row.groupKey,
    stats: statsOf(row),
    version: row.version,
  };
}

/** Check the customer as it will be after the change; returns the phone columns to store. */
async function validate(
  trx: Trx,
  settings: Settings,
  merged: CustomerRowUpdate & { taxExempt: boolean },
  changed: CustomerRowUpdate,
): Promise<CustomerRowUpdate> {
  const errors: FieldError[] = checkCustomerRules(
    {
      firstName: merged.firstName ?? null,
      lastName: merged.lastName ?? null,
      email: merged.email ?? null,
      phone: merged.phone ?? null,
      mobile: merged.mobile ?? null,
      taxExempt: merged.taxExempt,
      salesTaxNumber: merged.salesTaxNumber ?? null,
    },
    settings,
  );
  const derived: CustomerRowUpdate = {};
  for (const field of ['phone', 'mobile'] as const) {
    const value = changed[field];
    if (value === undefined) continue;
    if (value === null) {
      derived[`${field}E164`] = null;
      continue;
    }
    const result = normalizePhone(field, value, phoneCountry(merged, settings.defaultCountry));
    if ('error' in result) errors.push(result.error);
    else derived[`${field}E164`] = result.e164;
  }
  if (changed.groupId && !(await findGroup(trx, changed.groupId))) {
    errors.push({ field: 'groupId', code: 'not_found', message: 'No customer group has this id' });
  }
  if (changed.createdStoreId && !(await storeExists(trx, changed.createdStoreId))) {
    errors.push({ field: 'createdStoreId', code: 'not_found', message: 'No store has this id' });
  }
  if (errors.length > 0) throw AppError.invalid(errors);
  return derived;
}

/** Unique and foreign-key violations are expected outcomes: say which field and why. */
function conflictFrom(error: unknown): AppError | undefined {
  const unique = uniqueViolation(error);
  if (unique === 'customer_email_key') {
    return new AppError('conflict', 'Another customer already has this email address', {
      fields: [{ field: 'email', code: 'taken', message: 'Another customer already has this email address' }],
    });
  }
  if (unique === 'customer_code_key') {
    return new AppError('conflict', 'Another customer already has this customer code', {
      fields: [{ field: 'code', code: 'taken', message: 'Another customer already has this customer code' }],
    });
  }
  const foreign = foreignKeyViolation(error);
  if (foreign !== undefined) {
    return AppError.invalid([
      { field: foreign.includes('store') ? 'createdStoreId' : 'groupId', code: 'not_found', message: 'Does not exist' },
    ]);
  }
  return undefined;
}

function parseVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number | undefined {
  if (ifMatch === undefined) return bodyVersion;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim());
  if (!match) {
    throw AppError.invalid([
      { field: 'If-Match', in: 'header', code: 'invalid', message: 'Must be the ETag of the customer, e.g. "3"' },
    ]);
  }
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw AppError.invalid([
      { field: 'version', code: 'mismatch', message: `Disagrees with the If-Match header (${version})` },
    ]);
  }
  return version;
}

export class CustomerService {
  constructor(private readonly database: Database) {}

  async create(ctx: RequestContext, input: CustomerCreate): Promise<Customer> {
    const { source, ...fields } = input;
    const columns = columnsFrom(fields);
    // A generated code can meet a code someone typed by hand: then take the next one.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.insert(ctx, columns, source ?? 'api');
      } catch (error) {
        const generatedCodeTaken = !columns.code && error instanceof AppError && error.fields?.[0]?.field === 'code';
        if (!generatedCodeTaken || attempt >= 5) throw error;
      }
    }
  }

  private insert(ctx: RequestContext, columns: CustomerRowUpdate, source: CustomerSource): Promise<Customer> {
    const id = uuidv7();
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const settings = await settingsIn(trx);
      const derived = await validate(trx, settings, { ...columns, taxExempt: columns.taxExempt ?? false }, columns);
      const defaultGroup = (await findDefaultGroup(trx)).id;
      if (columns.groupId && columns.groupId !== defaultGroup) assertMayChooseGroup(ctx);
      const groupId = columns.groupId ?? defaultGroup;
      const { code, ...rest } = columns;
      try {
        await insertCustomer(trx, {
          ...rest,
          ...derived,
          ...(code ? { code } : {}),
          id,
          groupId,
          source,
          updatedByName: ctx.actor.name,
        } as Parameters<typeof insertCustomer>[1]);
      } catch (error) {
        throw conflictFrom(error) ?? error;
      }
      const row = await findCustomer(trx, id);
      if (!row) throw AppError.notFound('Customer');
      const created = toCustomer(row);
      await recordAudit(trx, ctx, {
        action: 'customer.created',
        entityType: 'customer',
        entityId: id,
        changes: diffFields(null, created, AUDIT_IGNORED),
      });
      return created;
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Customer> {
    const row = await this.database.withMerchant(ctx.merchantId, (trx) => findCustomer(trx, id));
    if (!row) throw AppError.notFound('Customer');
    return toCustomer(row);
  }

  /**
   * Apply a partial change. With a version (If-Match or `version`), a change made by someone else
   * since then is never overwritten: the answer is 412 with the customer as it is now.
   */
  async update(ctx: RequestContext, id: string, input: CustomerUpdate, ifMatch?: string): Promise<Customer> {
    const { version: bodyVersion, ...fields } = input;
    const expected = parseVersion(ifMatch, bodyVersion);
    const changes = columnsFrom(fields);
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      // The row lock makes check-then-write safe against a concurrent edit.
      const current = await findCustomer(trx, id, { forUpdate: true });
      if (!current) throw AppError.notFound('Customer');
      if (expected !== undefined && expected !== current.version) {
        throw new AppError(
          'version_mismatch',
          `This customer was changed by someone else (you edited version ${expected}, it is now version ${current.version}). Nothing was saved.`,
          { extra: { current: toCustomer(current) } },
        );
      }
      if (changes.code === null) {
        // Registers and loyalty cards look customers up by code: it can be replaced, never removed.
        throw AppError.invalid([
          { field: 'code', code: 'required', message: 'A customer code can be changed but not removed' },
        ]);
      }
      if (changes.groupId && changes.groupId !== current.groupId) assertMayChooseGroup(ctx);
      const settings = await settingsIn(trx);
      const merged = { ...current, ...changes } as CustomerRowUpdate & { taxExempt: boolean };
      const derived = await validate(trx, settings, merged, changes);
      try {
        await updateCustomer(trx, id, { ...changes, ...derived, updatedByName: ctx.actor.name });
      } catch (error) {
        throw conflictFrom(error) ?? error;
      }
      const row = await findCustomer(trx, id);
      if (!row) throw AppError.notFound('Customer');
      const updated = toCustomer(row);
      const changed = diffFields(toCustomer(current), updated, AUDIT_IGNORED);
      if (Object.keys(changed).length > 0) {
        await recordAudit(trx, ctx, {
          action: 'customer.updated',
          entityType: 'customer',
          entityId: id,
          changes: changed,
        });
      }
      return updated;
    });
  }

  /** Soft delete: gone from lists and lookups; the record id stays valid for reports. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await softDeleteCustomer(trx, id))) throw AppError.notFound('Customer');
      await recordAudit(trx, ctx, { action: 'customer.deleted', entityType: 'customer', entityId: id });
    });
  }

  /**
   * The customer list: every filter, combinable with a search; sorted by a key (keyset cursor), or
   * with a search and no sort, best match first (the cursor is a place in the ranking).
   */
  async list(
    ctx: RequestContext,
    query: CustomerListQuery,
  ): Promise<Omit<CustomerListPage, 'items'> & { items: Customer[] }> {
    const { q, sort, limit, cursor } = query;
    const wanted = filterOf(query);
    const filtered = Object.keys(wanted).length > 0;
    // A page stops at its first rows: no parallel workers (see MerchantScope.serial). Its plans may be generic: a
    // page is read in the sort's order and the filters checked on the way, whatever their values.
    return this.database.withMerchant({ ...searchScope(ctx, q), serial: true }, async (trx) => {
      const filter = await resolveDays(trx, wanted);
      const plan = q ? planSearch(q) : undefined;
      // With filters, every match that passes them, best first; a search that matches too many to rank them all
      // ("a"), by most recent order (the ranking's own tie-break), checked on the way down that order's index.
      const search = plan && filtered && !sort ? await searchMatch(trx, plan, filter, limit + 1) : undefined;
      let gathered: string[] | undefined;
      let byActivity = false;
      if (plan && search) {
        if (cursor) byActivity = decodeValues(cursor)[0] !== 'rank';
        // PostgreSQL's estimate of a word's start can be far too low, seldom too high: past the bound it is believed,
        // below it the matches are gathered (one over the bound at most) to know.
        else byActivity = search.expected > RANK_AT_MOST;
        if (!byActivity) {
          gathered = await gatherMatchIds(trx, plan, RANK_AT_MOST + 1);
          byActivity = !cursor && gathered.length > RANK_AT_MOST;
        }
      }
      if (plan && !sort && !byActivity) {
        const offset = cursor ? decodeOffset(cursor) : 0;
        const needed = offset + limit + 1;
        // The best 2,000 matches, best first; with filters, every match that passes them, ranked alike.
        const among = search && gathered ? { ...search, match: idsMatch(gathered) } : undefined;
        const ids = filtered
          ? await rankedFilteredIds(trx, plan, filter, among, needed)
          : await findRankedIds(trx, plan, Math.min(SEARCH_CAP, needed));
        const pageIds = ids.slice(offset, offset + limit);
        const rows = new Map((await findCustomersByIds(trx, pageIds)).map((row) => [row.id, row]));
        return {
          items: pageIds.flatMap((id) => {
            const row = rows.get(id);
            return row ? [toCustomer(row)] : [];
          }),
          next: ids.length > offset + limit ? encodeValues(['rank', offset + limit]) : null,
          order: 'rank',
        };
      }
      const order = sort ?? (byActivity ? '-lastOrderAt' : 'name');
      const key = order.replace(/^-/, '') as CustomerSortKey;
      const descending = order.startsWith('-');
      const read = (match: CustomerMatch | undefined) =>
        listCustomers(trx, {
          filter,
          sort: key,
          descending,
          limit: limit + 1,
          after: cursor ? decodeSortPosition(cursor, key) : undefined,
          match,
        });
      // A sorted search keeps every match, in the sort's order (not the 2,000 best of a ranking); names within a typo
      // when nothing matches as typed. One listed by most recent order matches many: walked, never gathered.
      const match = search ? search.checked : plan && (await searchMatch(trx, plan, filter, limit + 1))?.match;
      let rows = await read(plan && (match ?? idsMatch([])));
      if (plan && rows.length === 0 && !(await matchesAsTyped(trx, plan))) {
        rows = await read(idsMatch(await findTypoIds(trx, plan, SEARCH_CAP)));
      }
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toCustomer),
        next: rows.length > limit && last ? encodeValues([key, last.position, last.id]) : null,
        order,
      };
    });
  }

  /** How many customers the list would show: exact up to a bound, else "more than". */
  async count(ctx: RequestContext, query: CustomerFilter): Promise<{ count: number; exact: boolean }> {
    // Counting reads every match: planned for the filters' (and the search's) values.
    const scope = query.q ? { ...searchScope(ctx, query.q), customPlans: true } : byValues(ctx.merchantId);
    return this.database.withMerchant(scope, async (trx) => {
      const filter = await resolveDays(trx, filterOf(query));
      const plan = query.q ? planSearch(query.q) : undefined;
      let count: number;
      if (plan && Object.keys(filter).length === 0) {
        // The search alone: its matches counted as they are found, no further than the bound.
        count = await countSearchMatches(trx, plan, COUNT_BOUND + 1);
      } else {
        const match = plan && ((await searchMatch(trx, plan, filter, COUNT_BOUND + 1))?.match ?? idsMatch([]));
        count = await countCustomers(trx, filter, COUNT_BOUND + 1, match);
      }
      // Nothing as typed: the names within a typo the list shows (the 2,000 most alike, at most).
      if (plan && count === 0 && !(await matchesAsTyped(trx, plan))) {
        const typos = await findTypoIds(trx, plan, SEARCH_CAP);
        count = await countCustomers(trx, filter, COUNT_BOUND + 1, idsMatch(typos));
        if (typos.length >= SEARCH_CAP) return { count, exact: false };
      }
      return count > COUNT_BOUND ? { count: COUNT_BOUND, exact: false } : { count, exact: true };
    });
  }

  /**
   * Find customers from what a person types: exact code or email first, then whole words, prefixes,
   * phone fragments, and, only when nothing matches, names within a typo. Best first.
   */
  async search(ctx: RequestContext, q: string, limit: number): Promise<Customer[]> {
    return (await this.list(ctx, { q, limit })).items;
  }

  async addNote(ctx: RequestContext, customerId: string, body: string): Promise<CustomerNote> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await findCustomer(trx, customerId))) throw AppError.notFound('Customer');
      const note = await insertNote(trx, { id: uuidv7(), customerId, authorName: ctx.actor.name, body });
      await recordAudit(trx, ctx, {
        action: 'customer.note_added',
        entityType: 'customer',
        entityId: customerId,
        changes: { note: body },
      });
      return toNote(note);
    });
  }

  async listNotes(ctx: RequestContext, customerId: string): Promise<CustomerNote[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await findCustomer(trx, customerId))) throw AppError.notFound('Customer');
      return (await listNotes(trx, customerId)).map(toNote);
    });
  }
}

function toNote(row: {
  id: string;
  customerId: string;
  authorName: string;
  body: string;
  createdAt: Date | string;
}): CustomerNote {
  return {
    id: row.id,
    customerId: row.customerId,
    author: { name: row.authorName },
    body: row.body,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** The merchant's transaction; with a search in it, each statement within the search's time limit. */
function searchScope(ctx: RequestContext, q: string | undefined): MerchantScope {
  return q ? { merchantId: ctx.merchantId, statementTimeoutMs: SEARCH_TIMEOUT_MS } : { merchantId: ctx.merchantId };
}

/** Most customers a search considers: someone looking for one person among more types more. */
const SEARCH_CAP = SEARCH_RANKS_AT_MOST;
/**
 * Most matches a search with filters ranks: ranking reads every match, ~10 µs each ("mar" and the VIP group: 51,000
 * matches, ~370 ms; "a", hundreds of thousands, past the search's 3 s). More are listed by most recent order, walking
 * that order's index. Known from PostgreSQL's estimate when it is over, else by gathering no more than one over (its
 * estimates of a word's start can be 25 times too low: 473 for 12,000 Nadias).
 */
const RANK_AT_MOST = 5000;
/** Counting stops here: beyond it the list says "more than 10,000". */
const COUNT_BOUND = 10_000;

/** The filters that are set, without the search, sort and paging. */
function filterOf({
  q: _q,
  ...query
}: CustomerFilter & Partial<Pick<CustomerListQuery, 'sort' | 'limit' | 'cursor'>>): CustomerFilterValues {
  const { sort: _sort, limit: _limit, cursor: _cursor, ...filter } = query;
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}

/** Customer ids best match first; names within a typo only when nothing matches as typed. */
async function findRankedIds(trx: Trx, plan: SearchPlan, limit: number): Promise<string[]> {
  // A scanned or typed loyalty card number goes straight to its customer, first (in the same query).
  const found = await searchCustomerIds(trx, plan, limit);
  return found.length > 0 ? found.map((f) => f.id) : findTypoIds(trx, plan, limit);
}

/** Names within a typo of the words typed, most alike first (when nothing matches as typed). */
async function findTypoIds(trx: Trx, plan: SearchPlan, limit: number): Promise<string[]> {
  if (plan.words.length === 0) return [];
  return (await searchCustomerIdsFuzzy(trx, plan.words.join(' '), limit)).map((f) => f.id);
}

/** The first `wanted` customers a search with filters finds, best first; names within a typo if nothing matches. */
async function rankedFilteredIds(
  trx: Trx,
  plan: SearchPlan,
  filter: CustomerFilterValues,
  search: SearchSelection | undefined,
  wanted: number,
): Promise<string[]> {
  const ids = search ? await rankedMatchIds(trx, filter, search, wanted) : [];
  if (ids.length > 0 || (await matchesAsTyped(trx, plan))) return ids;
  const typos = await findTypoIds(trx, plan, SEARCH_CAP);
  const passing = await filterCustomerIds(trx, filter, typos);
  return typos.filter((id) => passing.has(id)).slice(0, wanted);
}

/**
 * Who the list shows for a search and filters, for acting on all of them at once (in `trx`): the filters that
 * are set and, with a search, every customer it finds. Without a search, `match` is undefined: the filters alone
 * say who. A search sets the transaction's statement timeout to 3 s.
 */
export async function listedCustomers(
  trx: Trx,
  query: CustomerFilter,
): Promise<{ filter: CustomerFilterValues; match: CustomerMatch | undefined }> {
  const filter = await resolveDays(trx, filterOf(query));
  if (!query.q) return { filter, match: undefined };
  await limitSearchTime(trx);
  // Everyone the search matches as typed, or else the names within a typo it shows.
  const plan = planSearch(query.q);
  if (!(await matchesAsTyped(trx, plan))) return { filter, match: idsMatch(await findTypoIds(trx, plan, SEARCH_CAP)) };
  const search = await searchMatch(trx, plan, filter, Number.POSITIVE_INFINITY);
  return { filter, match: search?.match ?? idsMatch([]) };
}

function decodeOffset(cursor: string): number {
  const [kind, offset] = decodeValues(cursor);
  if (kind !== 'rank' || !Number.isInteger(offset) || (offset as number) < 0) throw invalidCursor();
  return offset as number;
}

/** A timestamptz as PostgreSQL prints it: `2026-01-13 12:00:00.123456+00`. */
const POSTGRES_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

const SORT_VALUE: Record<CustomerSortKey, (value: string) => boolean> = {
  name: () => true,
  totalSpent: (value) => /^-?\d{1,19}$/.test(value),
  orders: (value) => /^\d{1,10}$/.test(value),
  lastOrderAt: (value) => value === '-infinity' || POSTGRES_TIMESTAMP.test(value),
  createdAt: (value) => POSTGRES_TIMESTAMP.test(value),
};

/** The place in a sorted list a cursor holds; it must be a cursor of the same sort. */
function decodeSortPosition(cursor: string, sort: CustomerSortKey): SortPosition {
  const [kind, key, id] = decodeValues(cursor);
  if (
    kind !== sort ||
    typeof key !== 'string' ||
    key.length > 1000 ||
    !SORT_VALUE[sort](key) ||
    typeof id !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
  ) {
    throw invalidCursor();
  }
  return { key, id };
}

/** A group may carry a discount at the till: who is in one is for those who manage groups. */
function assertMayChooseGroup(ctx: RequestContext): void {
  if (!ctx.permissions.has('groups:manage')) {
    throw new AppError('forbidden', 'Only staff who manage customer groups may put a customer in a group', {
      fields: [{ field: 'groupId', code: 'forbidden', message: 'Needs the permission to manage customer groups' }],
    });
  }
}
