import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import {
  customerExportQuerySchema,
  EXPORT_FILE_DAYS,
  exportFieldsSchema,
  exportJobListSchema,
  exportJobParams,
  exportJobRequestSchema,
  exportJobSchema,
  exportLogPageSchema,
  exportLogQuerySchema,
} from './export.schema.ts';
import type { ExportService } from './export.service.ts';

/** Answer with the file as it streams. */
function sendCsv(reply: FastifyReply, out: Readable, fileName: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(out);
}

const jobListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** HTTP only: each route validates, calls the service, and answers. */
export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async (app, { exports }) => {
  app.get('/customers/export', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Export customers as CSV',
      description:
        'The customers the list shows for the same search and filters (`q` and the filters of GET /api/v1/customers; with `q`, everyone the search matches), ' +
        'as a CSV file: UTF-8 with a byte-order mark, a header row of the import template’s headers (so the file imports back unchanged), one row per customer, in no particular order. ' +
        'Cells a spreadsheet would run as a formula (starting with = + - @, tab or return) start with an apostrophe, which the import removes. ' +
        'Streamed as it is read; recorded in the audit log and the export log (GET /api/v1/exports). At most two exports run at once: a third is answered 503. ' +
        'For a large export, POST /api/v1/exports runs it in the background instead, with progress.',
      querystring: customerExportQuerySchema,
      response: {
        200: z.string().describe('The CSV file (text/csv)'),
        ...problems(403, 422),
        503: problemSchema,
      },
    },
    handler: async (request, reply) => {
      const fileName = await exports.fileName(request.ctx);
      const out = new PassThrough();
      // Until the first byte, a failure is an answer (403, 503…); after it, it can only cut the file short.
      await new Promise<void>((resolve, reject) => {
        exports.exportCustomers(request.ctx, request.query, out, { onStart: resolve }).catch((error: unknown) => {
          request.log.error({ err: error }, 'Customer export failed');
          reject(error);
        });
      });
      return sendCsv(reply, out, fileName);
    },
  });

  app.get('/customers/export/fields', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Fields a customer export can hold',
      description:
        'Every column, in groups, with its header, meaning and format, and whether the export form picks it by default. Statistics are export-only.',
      response: { 200: exportFieldsSchema },
    },
    handler: () => exports.fields(),
  });

  app.get('/exports', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Export log',
      description:
        'Customer exports, newest first, from the audit log: who, when, search, filters, fields, and how many rows went out.',
      querystring: exportLogQuerySchema,
      response: { 200: exportLogPageSchema, ...problems(422) },
    },
    handler: (request) => exports.log(request.ctx, request.query),
  });

  app.post('/exports', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Start a customer export in the background',
      description:
        'The same customers, fields and file as GET /api/v1/customers/export (the same bytes), written by a background job ' +
        'instead of streamed: follow GET /api/v1/exports/jobs/{id} (rows done, rows per second, time left) until `done`, ' +
        `then download GET /api/v1/exports/jobs/{id}/file. The file is kept for ${EXPORT_FILE_DAYS} days after the export ` +
        'finishes, then deleted by a periodic task (the job stays, with its rows). A job a stopped server left behind ' +
        'starts again on its own. Recorded in the audit log and the export log from the start, with its rows once done.',
      body: exportJobRequestSchema,
      response: { 202: exportJobSchema, ...problems(400, 403, 415, 422) },
    },
    handler: async (request, reply) => {
      const job = await exports.startJob(request.ctx, request.body);
      return reply.code(202).header('location', `/api/v1/exports/jobs/${job.id}`).send(job);
    },
  });

  app.get('/exports/jobs', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Background exports, newest first',
      description: 'Every person’s background exports (as the export log shows them), with state, progress and file.',
      querystring: jobListQuerySchema,
      response: { 200: exportJobListSchema, ...problems(422) },
    },
    handler: async (request) => ({ items: await exports.jobs(request.ctx, request.query.limit) }),
  });

  app.get('/exports/jobs/:id', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'A background export: its state, progress and file',
      params: exportJobParams,
      response: { 200: exportJobSchema, ...problems(404, 422) },
    },
    handler: (request) => exports.job(request.ctx, request.params.id),
  });

  app.post('/exports/jobs/:id/cancel', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Stop a background export',
      description:
        'The job stops within about a second and deletes what it had written; it ends `cancelled`. 409 once it has ended.',
      params: exportJobParams,
      response: { 200: exportJobSchema, ...problems(404, 409, 422) },
    },
    handler: (request) => exports.cancelJob(request.ctx, request.params.id),
  });

  app.get('/exports/jobs/:id/file', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Download the file of a background export (CSV)',
      description:
        `The CSV of a done export, for ${EXPORT_FILE_DAYS} days after it finished (409 before, and after it is deleted). ` +
        'Each download is recorded in the audit log.',
      params: exportJobParams,
      produces: ['text/csv'],
      response: { 200: z.string().describe('The CSV file (text/csv)'), ...problems(404, 409, 422) },
    },
    handler: async (request, reply) => {
      const { fileName, bytes, stream } = await exports.jobFile(request.ctx, request.params.id);
      if (bytes > 0) reply.header('content-length', bytes);
      return sendCsv(reply, stream, fileName);
    },
  });
};
