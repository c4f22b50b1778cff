// `npm run bench [-- NAME…]`: run the benchmarks (all, or those named) and print their tables.
import { runAuditBench } from './audit.bench.ts';
import { DIRECTORY_SIZE } from './dataset.ts';
import { printExportTable, runExportBench } from './export.bench.ts';
import { printImportTable, runImportBench } from './import.bench.ts';
import { runListBench } from './list.bench.ts';
import { runSalesBench } from './sales.bench.ts';
import { runSearchBench } from './search.bench.ts';
import { printTable } from './support.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  search: async () => printTable(`Search, ${DIRECTORY_SIZE}`, await runSearchBench()),
  list: async () => printTable(`Customer list, ${DIRECTORY_SIZE}`, await runListBench()),
  sales: async () => printTable('Sales and the customer page', await runSalesBench()),
  audit: async () =>
    printTable(
      `Audit log, ${Number(process.env.BENCH_AUDIT_EVENTS ?? 2_000_000).toLocaleString('en')} events`,
      await runAuditBench(),
    ),
  export: async () => printExportTable(await runExportBench()),
  import: async () => printImportTable(await runImportBench()),
};

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`No benchmark "${name}". Known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  await bench();
}
