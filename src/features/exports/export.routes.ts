import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import {
  customerExportQuerySchema,
  exportFieldsSchema,
  exportLogPageSchema,
  exportLogQuerySchema,
} from './export.schema.ts';
import type { ExportService } from './export.service.ts';

/** Answer with the file as it streams. */
function sendCsv(reply: FastifyReply, out: PassThrough) {
  const day = new Date().toISOString().slice(0, 10);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="customers-${day}.csv"`)
    .header('cache-control', 'no-store')
    .send(out);
}

/** HTTP only: each route validates, calls the service, and answers. */
export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async (app, { exports }) => {
  app.get('/customers/export', {
    config: { access: 'customers:export' },
    schema: {
      tags: ['Customers'],
      summary: 'Export customers as CSV',
      description:
        'The customers the list shows for the same search and filters (`q` and the filters of GET /api/v1/customers; with `q`, the best matches the list considers, at most 2,000), ' +
        'as a CSV file: UTF-8 with a byte-order mark, a header row of the import template’s headers (so the file imports back unchanged), one row per customer, in no particular order. ' +
        'Cells a spreadsheet would run as a formula (starting with = + - @, tab or return) start with an apostrophe, which the import removes. ' +
        'Streamed as it is read; recorded in the audit log and the export log (GET /api/v1/exports). At most two exports run at once: a third is answered 503.',
      querystring: customerExportQuerySchema,
      response: {
        200: z.string().describe('The CSV file (text/csv)'),
        ...problems(403, 422),
        503: problemSchema,
      },
    },
    handler: async (request, reply) => {
      const out = new PassThrough();
      // Until the first byte, a failure is an answer (403, 503…); after it, it can only cut the file short.
      await new Promise<void>((resolve, reject) => {
        exports.exportCustomers(request.ctx, request.query, out, { onStart: resolve }).catch((error: unknown) => {
          request.log.error({ err: error }, 'Customer export failed');
          reject(error);
        });
      });
      return sendCsv(reply, out);
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
};
