// `npm run patron -- COMMAND [options]`: Patron from the command line, against the same database as `npm start`
// (the embedded one in the data folder, PATRON_DATA_DIR, default ./data, whether or not the server is running;
// or DATABASE_URL). `npm run patron -- help` lists the commands.
import fs from 'node:fs';
import os from 'node:os';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { runExportJob } from '../src/features/exports/export.jobs.ts';
import { type CustomerExportQuery, customerExportQuerySchema } from '../src/features/exports/export.schema.ts';
import { ExportService } from '../src/features/exports/export.service.ts';
import { findGroupByName } from '../src/features/groups/group.repository.ts';
import { BULK_TASK, runBulkJob } from '../src/features/imports/import.jobs.ts';
import { ImportService } from '../src/features/imports/import.service.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { RequestContext } from '../src/platform/context.ts';
import { Database } from '../src/platform/db/database.ts';
import { openEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { type Queue, startQueue } from '../src/platform/jobs/queue.ts';
import { PERMISSIONS } from '../src/shared/permissions.ts';
import { progressWords } from '../src/web/exports/export-view.ts';

/** A mistake in how the command was called: said in one line, exit code 2. */
class UsageError extends Error {}

const FILTERS = [
  'groupId',
  'storeId',
  'createdFrom',
  'createdTo',
  'firstOrderFrom',
  'firstOrderTo',
  'lastOrderFrom',
  'lastOrderTo',
  'totalSpentMin',
  'totalSpentMax',
  'ordersMin',
  'ordersMax',
  'emailMarketing',
  'hasEmail',
  'hasPhone',
  'hasBalance',
] as const;

const EXPORT_HELP = `npm run patron -- export --out FILE [options]

Export customers as CSV (UTF-8 with a byte-order mark, the import template's headers), as the Export
button of the customer list does; recorded in the audit and export logs. Progress goes to stderr.

  --out FILE, -o FILE    Where to write the file; - for standard output
  --job                  Run it as a background job, as the export form does for large exports: its file
                         is also kept in the export log for 7 days (the progress line shows the time left)
  --fields a,b,…         The columns, by key (default: every column), e.g. id,firstName,email,stats.totalSpent
  --q TEXT               A search, as typed in the list (its best matches, at most 2,000)
  --group NAME           In this customer group (by name; or --groupId ID)
  --merchant ID|NAME     The business (needed when the database holds more than one)
  Filters of the customer list, as the API names them:
  ${FILTERS.map((name) => `--${name}`).join(' ')}
  (days as YYYY-MM-DD, amounts in minor units, yes/no filters as true or false)`;

const IMPORT_HELP = `npm run patron -- import FILE [options]

Add, update or delete customers from a CSV file, as Customers → Import does: the file is checked first (the
dry run), then written in one transaction. Progress goes to stderr. Rows that cannot be imported are written
to "FILE - rows to fix.csv".

  --kind import|modify|delete   What the file does (default: import, new customers)
  --match-by id|code|email      Modify and delete: how rows name their customer (default: id)
  --clear-empty                 Modify: empty cells clear the field (default: they leave it)
  --date-order day-first|month-first   How dates like 03/04/2025 are written (default: day-first)
  --mode all|valid              Every row or nothing (default), or the valid rows only
  --dry-run                     Check the file and stop: nothing is written
  --merchant ID|NAME            The business (needed when the database holds more than one)`;

const HELP = `Patron on the command line.

${EXPORT_HELP}

${IMPORT_HELP}`;

/**
 * The job queue, working in this process too (a running server may take part: a job is worked on by one
 * process at a time).
 */
async function startJobQueue(database: Database): Promise<Queue> {
  const queue: Queue = await startQueue({
    url: database.url,
    tasks: {
      [BULK_TASK]: async (payload) => {
        await runBulkJob(database, queue, payload);
        await runExportJob(database, queue, payload);
      },
    },
    onError: () => {},
  });
  return queue;
}

/** The database `npm start` uses, migrated. */
async function openDatabase() {
  const config = loadConfig();
  const server = config.databaseUrl
    ? undefined
    : await openEmbeddedPostgres({ dataDir: config.dataDir, settings: config.postgresSettings });
  const database = new Database({ url: config.databaseUrl ?? (server?.url as string), max: 3 });
  await migrateToLatest(database.system);
  return {
    database,
    async close() {
      await database.close();
      await server?.stop();
    },
  };
}

/** The merchant named by `--merchant` (id or name), or the only one. */
async function chooseMerchant(database: Database, wanted: string | undefined): Promise<{ id: string; name: string }> {
  const merchants = await database.system.selectFrom('merchant').select(['id', 'name']).orderBy('name').execute();
  if (wanted) {
    const found = merchants.filter((m) => m.id === wanted || m.name.toLowerCase() === wanted.toLowerCase());
    if (found.length === 1) return found[0] as { id: string; name: string };
    throw new UsageError(
      `No single business "${wanted}". There are: ${merchants.map((m) => `${m.name} (${m.id})`).join(', ')}`,
    );
  }
  if (merchants.length === 1) return merchants[0] as { id: string; name: string };
  if (merchants.length === 0)
    throw new UsageError('The database holds no business yet: set Patron up first (npm start).');
  throw new UsageError(
    `The database holds ${merchants.length} businesses: choose one with --merchant (${merchants.map((m) => `${m.name} (${m.id})`).join(', ')})`,
  );
}

/** Counts what goes through: bytes, and rows as line breaks (a line break inside a cell counts too). */
class Counter extends Transform {
  bytes = 0;
  lines = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.lines++;
    this.push(chunk);
    callback();
  }
}

const number = new Intl.NumberFormat('en');
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      fields: { type: 'string' },
      q: { type: 'string' },
      group: { type: 'string' },
      merchant: { type: 'string' },
      job: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(FILTERS.map((name) => [name, { type: 'string' as const }])),
    },
  });
  if (values.help) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return;
  }
  if (!values.out)
    throw new UsageError('Say where to write the file: --out customers.csv (or --out - for standard output)');
  const { out, group, merchant: wantedMerchant, help: _help, job, ...query } = values;
  const parsed = customerExportQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'options'}: ${issue.message}`).join('\n'),
    );
  }

  const { database, close } = await openDatabase();
  try {
    const merchant = await chooseMerchant(database, wantedMerchant);
    if (group) {
      const found = await database.withMerchant(merchant.id, (trx) => findGroupByName(trx, group));
      if (!found) throw new UsageError(`${merchant.name} has no customer group "${group}"`);
      parsed.data.groupId = found.id;
    }
    const ctx: RequestContext = {
      merchantId: merchant.id,
      actor: { type: 'system', id: null, name: `Command line (${os.userInfo().username})` },
      permissions: new Set(PERMISSIONS),
    };
    if (job) {
      await exportAsJob(database, ctx, parsed.data, out, merchant.name);
      return;
    }
    const counter = new Counter();
    const target: Writable = out === '-' ? process.stdout : fs.createWriteStream(out);
    const written = pipeline(counter, target);
    const started = performance.now();
    const interactive = process.stderr.isTTY;
    const progress = () => {
      const seconds = (performance.now() - started) / 1000;
      const rows = Math.max(0, counter.lines - 1);
      const line = `${number.format(rows)} rows · ${number.format(Math.round(rows / Math.max(seconds, 0.001)))} rows/s · ${megabytes(counter.bytes)}`;
      process.stderr.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
    };
    const ticker = setInterval(progress, interactive ? 250 : 2000);
    try {
      const exports = new ExportService(database);
      const result = await exports.exportCustomers(ctx, parsed.data, counter);
      await written;
      const seconds = (performance.now() - started) / 1000;
      progress();
      process.stderr.write(
        `${interactive ? '\n' : ''}Exported ${number.format(result.rows)} customers of ${merchant.name} to ${out === '-' ? 'standard output' : out} (${megabytes(counter.bytes)}) in ${seconds.toFixed(1)} s: ${number.format(Math.round(result.rows / Math.max(seconds, 0.001)))} rows/s.\n`,
      );
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await close();
  }
}

/** An export as a background job, followed with a progress line, its file then copied to `out`. */
async function exportAsJob(
  database: Database,
  ctx: RequestContext,
  query: CustomerExportQuery,
  out: string,
  merchantName: string,
): Promise<void> {
  const queue = await startJobQueue(database);
  try {
    const exports = new ExportService(database, { queue: () => queue });
    const interactive = process.stderr.isTTY;
    let job = await exports.startJob(ctx, query);
    for (;;) {
      const line = `Preparing: ${progressWords(job.progress)}`;
      process.stderr.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
      if (job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, interactive ? 250 : 2000));
      job = await exports.job(ctx, job.id);
    }
    if (interactive) process.stderr.write('\n');
    if (job.status !== 'done') throw new UsageError(`The export ${job.status}: ${job.error ?? 'no file was kept'}`);
    const { stream, bytes } = await exports.jobFile(ctx, job.id);
    await pipeline(stream, out === '-' ? process.stdout : fs.createWriteStream(out));
    process.stderr.write(
      `Exported ${number.format(job.progress.rowsDone)} customers of ${merchantName} to ${out === '-' ? 'standard output' : out} (${megabytes(bytes)}); the file is also in the export log until ${job.file?.expiresAt.slice(0, 10)}.\n`,
    );
  } finally {
    await queue.stop();
  }
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      kind: { type: 'string', default: 'import' },
      'match-by': { type: 'string', default: 'id' },
      'clear-empty': { type: 'boolean', default: false },
      'date-order': { type: 'string', default: 'day-first' },
      mode: { type: 'string', default: 'all' },
      'dry-run': { type: 'boolean', default: false },
      merchant: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${IMPORT_HELP}\n`);
    return;
  }
  const file = positionals[0];
  if (!file) throw new UsageError('Name the file to import: npm run patron -- import customers.csv');
  if (!fs.existsSync(file)) throw new UsageError(`There is no file ${file}`);
  const choice = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T => {
    if (allowed.includes(value as T)) return value as T;
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  };
  const kind = choice('kind', values.kind, ['import', 'modify', 'delete'] as const);
  const matchBy = choice('match-by', values['match-by'], ['id', 'code', 'email'] as const);
  const dateOrder = choice('date-order', values['date-order'], ['day-first', 'month-first'] as const);
  const mode = choice('mode', values.mode, ['all', 'valid'] as const);

  const { database, close } = await openDatabase();
  let queue: Queue | undefined;
  try {
    queue = await startJobQueue(database);
    const merchant = await chooseMerchant(database, values.merchant);
    const ctx: RequestContext = {
      merchantId: merchant.id,
      actor: { type: 'system', id: null, name: `Command line (${os.userInfo().username})` },
      permissions: new Set(PERMISSIONS),
    };
    const imports = new ImportService(database, () => queue);
    const interactive = process.stderr.isTTY;
    const follow = async (id: string, running: string) => {
      for (;;) {
        const job = await imports.get(ctx, id);
        const { rowsDone, rowsTotal, rowsPerSecond, secondsLeft } = job.progress;
        const line = `${running === 'validating' ? 'Checking' : 'Writing'}: ${number.format(rowsDone)}${rowsTotal ? ` of about ${number.format(rowsTotal)}` : ''} rows${rowsPerSecond ? ` · ${number.format(rowsPerSecond)} rows/s` : ''}${secondsLeft !== null ? ` · ${secondsLeft} s left` : ''}`;
        process.stderr.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
        if (job.status !== running) {
          if (interactive) process.stderr.write('\n');
          return job;
        }
        await new Promise((resolve) => setTimeout(resolve, interactive ? 250 : 2000));
      }
    };
    const started = await imports.start(ctx, fs.createReadStream(file), file.split('/').pop() ?? file, {
      kind,
      dateOrder,
      ...(kind !== 'import' ? { matchBy } : {}),
      ...(kind === 'modify' ? { clearEmpty: values['clear-empty'] } : {}),
    });
    const checked = await follow(started.id, 'validating');
    if (checked.status !== 'validated') throw new UsageError(`The file cannot be imported: ${checked.error}`);
    const counts = checked.counts;
    const would = kind === 'modify' ? counts?.update : kind === 'delete' ? counts?.delete : counts?.create;
    process.stderr.write(
      `${checked.file?.layout === 'unknown' ? 'Columns of your own' : (checked.file?.layoutName ?? '')}: ${number.format(would ?? 0)} to ${kind === 'import' ? 'create' : kind === 'modify' ? 'update' : 'delete'}, ${number.format(counts?.skip ?? 0)} skipped, ${number.format(counts?.reject ?? 0)} rejected.\n`,
    );
    if ((counts?.reject ?? 0) + (counts?.skip ?? 0) > 0) {
      const errors = `${file.replace(/\.csv$/i, '')} - rows to fix.csv`;
      const { stream } = await imports.errorFile(ctx, started.id);
      await pipeline(stream, fs.createWriteStream(errors));
      process.stderr.write(`Rows not imported, with why: ${errors}\n`);
    }
    if (values['dry-run']) {
      await imports.cancel(ctx, started.id);
      process.stderr.write('Dry run: nothing was written.\n');
      return;
    }
    await imports.commit(ctx, started.id, mode);
    const done = await follow(started.id, 'committing');
    if (done.status !== 'done') throw new UsageError(`Nothing was written: ${done.error}`);
    const result = done.result;
    process.stderr.write(
      `Done: ${number.format(result?.created ?? 0)} created, ${number.format(result?.updated ?? 0)} updated, ${number.format(result?.deleted ?? 0)} deleted.\n`,
    );
  } finally {
    await queue?.stop();
    await close();
  }
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  export: exportCommand,
  import: importCommand,
  help: async () => {
    process.stdout.write(`${HELP}\n`);
  },
};

const [command = 'help', ...rest] = process.argv.slice(2);
const run = COMMANDS[command];
try {
  if (!run) throw new UsageError(`No command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}`);
  await run(rest);
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n\nSee: npm run patron -- help\n`);
    process.exit(2);
  }
  throw error;
}
// The embedded database and the pool are closed; a handle left open must not keep the command alive.
process.exit(0);
