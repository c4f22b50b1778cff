import type { Database } from '../../platform/db/database.ts';
import { type BalanceDifference, findBalanceDifferences } from '../balances/balance.repository.ts';
import { findInvoiceDifferences, type InvoiceDifference } from '../invoices/invoice.repository.ts';
import { findStatsDifferences, type StatsDifference } from './customer-stats.repository.ts';

export interface VerifyReport {
  checked: number;
  differences: StatsDifference[];
}

/** Recompute every customer's statistics from the sales and list where the kept figures differ. */
export async function verifyCustomerStats(database: Database): Promise<VerifyReport> {
  return findStatsDifferences(database.system);
}

/** Sum every customer's ledger and list where a kept balance differs from it. */
export async function verifyBalances(
  database: Database,
): Promise<{ checked: number; differences: BalanceDifference[] }> {
  return findBalanceDifferences(database.system);
}

/** Check every invoice: its paid and credited amounts against its payments, its open amount against its ledger entries. */
export async function verifyInvoices(
  database: Database,
): Promise<{ checked: number; differences: InvoiceDifference[] }> {
  return findInvoiceDifferences(database.system);
}
