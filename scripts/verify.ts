// `npm run verify`: recompute every customer's statistics from the sales and every balance from its ledger,
// and every invoice's open amount from its payments and ledger entries, and report any difference.
import { verifyBalances, verifyCustomerStats, verifyInvoices } from '../src/features/sales/verify-stats.ts';
import { loadConfig } from '../src/platform/config.ts';
import { Database } from '../src/platform/db/database.ts';
import { openEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';

const config = loadConfig();
const server = config.databaseUrl
  ? undefined
  : await openEmbeddedPostgres({ dataDir: config.dataDir, settings: config.postgresSettings });
const database = new Database({ url: config.databaseUrl ?? (server?.url as string) });
let failed = false;
try {
  await migrateToLatest(database.system);
  const { checked, differences } = await verifyCustomerStats(database);
  for (const d of differences.slice(0, 50)) {
    process.stdout.write(
      `customer ${d.customerId} (merchant ${d.merchantId}): ${d.field} is ${d.kept}, the sales say ${d.recomputed}\n`,
    );
  }
  if (differences.length > 50) process.stdout.write(`… and ${differences.length - 50} more\n`);
  process.stdout.write(
    differences.length === 0
      ? `Statistics of ${checked} customers match their sales.\n`
      : `${differences.length} differences in the statistics of ${checked} customers.\n`,
  );
  const balances = await verifyBalances(database);
  for (const d of balances.differences.slice(0, 50)) {
    process.stdout.write(
      `customer ${d.customerId} (merchant ${d.merchantId}): ${d.balance} balance is ${d.kept}, the ledger says ${d.ledger}\n`,
    );
  }
  process.stdout.write(
    balances.differences.length === 0
      ? `Balances of ${balances.checked} customers match their ledgers.\n`
      : `${balances.differences.length} balances differ from their ledgers.\n`,
  );
  const invoices = await verifyInvoices(database);
  for (const d of invoices.differences.slice(0, 50)) {
    process.stdout.write(
      `invoice ${d.number} (${d.invoiceId}, merchant ${d.merchantId}): paid ${d.kept.paid} / credited ${d.kept.credited}, ` +
        `the payments say ${d.payments.paid} / ${d.payments.credited}; open ${d.account.expected}, the ledger says ${d.account.ledger}\n`,
    );
  }
  process.stdout.write(
    invoices.differences.length === 0
      ? `Open amounts of ${invoices.checked} invoices match their payments and ledger.\n`
      : `${invoices.differences.length} invoices differ from their payments or ledger.\n`,
  );
  failed = differences.length > 0 || balances.differences.length > 0 || invoices.differences.length > 0;
} finally {
  await database.close();
  await server?.stop();
}
process.exit(failed ? 1 : 0);
