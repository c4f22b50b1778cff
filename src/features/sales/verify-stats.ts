import type { Database } from '../../platform/db/database.ts';
import { findStatsDifferences, type StatsDifference } from './customer-stats.repository.ts';

export interface VerifyReport {
  checked: number;
  differences: StatsDifference[];
}

/** Recompute every customer's statistics from the sales and list where the kept figures differ. */
export async function verifyCustomerStats(database: Database): Promise<VerifyReport> {
  return findStatsDifferences(database.system);
}
