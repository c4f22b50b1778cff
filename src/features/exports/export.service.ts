import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { Gate } from '../../platform/gate.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { listedCustomers } from '../customers/customer.service.ts';
import type { ColumnKey } from '../imports/columns.ts';
import {
  allowLongStatement,
  allowLongStatements,
  copyCsv,
  EXPORT_FAILED,
  EXPORT_FINISHED,
  type ExportSelection,
  exportHeaders,
  exportQuery,
  findExportEnds,
  inlineParameters,
  listExportStarts,
  withMerchantClient,
} from './export.repository.ts';
import {
  ALL_EXPORT_FIELDS,
  type CustomerExportQuery,
  type ExportFields,
  type ExportLogEntry,
  type ExportLogQuery,
  exportFields,
} from './export.schema.ts';

/**
 * How the rows become CSV: `copy`, PostgreSQL writes them (`COPY … TO STDOUT`, several times faster);
 * `cursor`, Node quotes rows read through a cursor. Both give the same bytes; the cursor is there to
 * measure against (`PATRON_EXPORT_VIA=cursor`) and for a server that cannot COPY.
 */
export type ExportPath = 'copy' | 'cursor';

export interface ExportOptions {
  /**
   * Called once, just before the first byte is written: whatever fails before it (too many exports
   * at once, a search that times out) can still be answered as an error rather than a broken file.
   */
  onStart?: () => void;
  via?: ExportPath;
}

export interface ExportResult {
  exportId: string;
  rows: number;
}

/** The start of every export: a byte-order mark (spreadsheets then read UTF-8) and the header row. */
export function csvPreamble(fields: readonly ColumnKey[]): string {
  return `\uFEFF${stringifySync([exportHeaders(fields)])}`;
}

/**
 * A cell as COPY's CSV writes it: quoted when it holds a comma, a quote or a line break, or when it is
 * `\.` alone on its line (COPY's end-of-data mark); empty for none.
 */
function csvCell(value: string | null, alone: boolean): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) || (alone && value === '\\.') ? `"${value.replaceAll('"', '""')}"` : value;
}

function pathFromEnvironment(): ExportPath {
  return process.env.PATRON_EXPORT_VIA === 'cursor' ? 'cursor' : 'copy';
}

type StartEvent = Awaited<ReturnType<typeof listExportStarts>>[number];
type EndEvent = Awaited<ReturnType<typeof findExportEnds>>[number];

function toLogEntry(start: StartEvent, end: EndEvent | undefined): ExportLogEntry {
  const started = (start.changes ?? {}) as { q?: unknown; filter?: unknown; fields?: unknown };
  const ended = (end?.changes ?? {}) as { rows?: unknown };
  return {
    id: start.entityId as string,
    startedAt: new Date(start.occurredAt).toISOString(),
    finishedAt: end ? new Date(end.occurredAt).toISOString() : null,
    actor: { type: start.actorType, id: start.actorId, name: start.actorName },
    status: !end ? 'running' : end.action === EXPORT_FINISHED ? 'finished' : 'failed',
    q: typeof started.q === 'string' ? started.q : null,
    filter: started.filter && typeof started.filter === 'object' ? (started.filter as Record<string, unknown>) : {},
    fields: Array.isArray(started.fields) ? started.fields.map(String) : [],
    rows: end?.action === EXPORT_FINISHED && typeof ended.rows === 'number' ? ended.rows : null,
  };
}

export class ExportService {
  /** Each export holds a database connection while it streams: at most two at once per process. */
  private readonly running = new Gate(2);

  constructor(
    private readonly database: Database,
    private readonly via: ExportPath = pathFromEnvironment(),
  ) {}

  fields(): ExportFields {
    return exportFields();
  }

  /**
   * Stream the customers the list shows for this search and filters into `out` as CSV (UTF-8 with a
   * byte-order mark, the catalogue's headers, formula-looking cells neutralised), in constant memory,
   * and end it (or destroy it, when the export fails part-way). The export is in the audit log before the first row leaves (who, search, filters,
   * fields), so a download cut short is recorded too; a second event gives the rows once all went
   * out, or says that it stopped.
   */
  async exportCustomers(
    ctx: RequestContext,
    query: CustomerExportQuery,
    out: Writable,
    options: ExportOptions = {},
  ): Promise<ExportResult> {
    const { fields: chosen, ...list } = query;
    const fields = chosen ?? ALL_EXPORT_FIELDS;
    const { q, ...filter } = list;
    const exportId = uuidv7();
    const described = {
      ...(q ? { q } : {}),
      filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)),
      fields: [...fields],
    };
    return this.running.run(async () => {
      const found = await this.database.withMerchant(ctx.merchantId, async (trx) => {
        await recordAudit(trx, ctx, {
          action: 'customer.export_started',
          entityType: 'export',
          entityId: exportId,
          changes: described,
        });
        return listedCustomers(trx, list);
      });
      const selection: ExportSelection = { ...found, fields };
      options.onStart?.();
      out.write(csvPreamble(fields));
      let rows: number;
      try {
        rows =
          (options.via ?? this.via) === 'copy'
            ? await this.copy(ctx, selection, out)
            : await this.cursor(ctx, selection, out);
      } catch (error) {
        if (!out.destroyed) out.destroy(error as Error);
        const cancelled = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
        await this.database
          .withMerchant(ctx.merchantId, (trx) =>
            recordAudit(trx, ctx, {
              action: EXPORT_FAILED,
              entityType: 'export',
              entityId: exportId,
              changes: { reason: cancelled ? 'The download was cancelled' : 'An error stopped it' },
            }),
          )
          .catch(() => {});
        throw error;
      }
      await this.database.withMerchant(ctx.merchantId, (trx) =>
        recordAudit(trx, ctx, {
          action: EXPORT_FINISHED,
          entityType: 'export',
          entityId: exportId,
          changes: { ...described, rows },
        }),
      );
      // The file ends once its export is on record: a download that completed is in the log.
      await new Promise<void>((resolve) => out.end(resolve));
      return { exportId, rows };
    });
  }

  /** PostgreSQL writes the CSV; Node only passes the bytes on. */
  private copy(ctx: RequestContext, selection: ExportSelection, out: Writable): Promise<number> {
    const statement = inlineParameters(exportQuery(this.database.system, selection).compile());
    return withMerchantClient(this.database, ctx.merchantId, async (client) => {
      await allowLongStatement(client);
      return copyCsv(client, statement, out);
    });
  }

  /** Rows through a cursor, quoted into CSV in Node: the same text, CSV made here. */
  private cursor(ctx: RequestContext, selection: ExportSelection, out: Writable): Promise<number> {
    const names = selection.fields.map((_, index) => `c${index}`);
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      await allowLongStatements(trx);
      let rows = 0;
      async function* lines() {
        for await (const row of exportQuery(trx, selection).stream(1000)) {
          rows++;
          const values = row as Record<string, string | null>;
          yield `${names.map((name) => csvCell(values[name] ?? null, names.length === 1)).join(',')}\n`;
        }
      }
      await pipeline(lines(), out, { end: false });
      return rows;
    });
  }

  /** Past exports, newest first, with how each ended. */
  async log(ctx: RequestContext, query: ExportLogQuery): Promise<{ items: ExportLogEntry[]; next: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const starts = await listExportStarts(trx, { after, limit: query.limit + 1 });
      const ids = starts.slice(0, query.limit).flatMap((start) => (start.entityId ? [start.entityId] : []));
      const ends = new Map((await findExportEnds(trx, ids)).map((end) => [end.entityId, end]));
      return pageOf(starts, query.limit, (start) => toLogEntry(start, ends.get(start.entityId)));
    });
  }
}
