import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { uuid } from '../../shared/fields.ts';
import {
  productsQuerySchema,
  productsReportSchema,
  receiptsQuerySchema,
  receiptsReportSchema,
  salesByCustomerQuerySchema,
  salesByCustomerReportSchema,
} from './report.schema.ts';
import type { ReportName, ReportService } from './report.service.ts';

const tags = ['Reports'];
const csvNote =
  ' With `format=csv`, the whole report downloads as a CSV file for spreadsheets (amounts in the major units of the currency named in their header, 58.50 not 5850; streamed; recorded in the audit log).';

/** Answer with the report as a CSV download, streamed while it is read from the database. */
async function sendCsv(
  request: FastifyRequest,
  reply: FastifyReply,
  reports: ReportService,
  report: ReportName,
  filter: Parameters<ReportService['exportCsv']>[2],
) {
  const out = new PassThrough();
  const day = await reports.today(request.ctx);
  reports.exportCsv(request.ctx, report, filter, out).catch((error: unknown) => {
    request.log.error({ err: error }, 'CSV export failed');
    out.destroy(error as Error);
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${report}-${day}.csv"`)
    .send(out);
}

export const reportRoutes: FastifyPluginAsyncZod<{ reports: ReportService }> = async (app, { reports }) => {
  app.get('/reports/receipts', {
    config: { access: 'reports:read' },
    schema: {
      tags,
      summary: 'Receipts report',
      description: `Every sale and refund (cancelled ones too), newest first, by customer, store and time.${csvNote}`,
      querystring: receiptsQuerySchema,
      response: { 200: receiptsReportSchema, ...problems(422) },
    },
    handler: async (request, reply) => {
      const { format, limit, cursor, ...filter } = request.query;
      if (format === 'csv') return sendCsv(request, reply, reports, 'receipts', filter);
      return reports.receipts(request.ctx, { ...filter, limit, cursor });
    },
  });

  app.get('/reports/products', {
    config: { access: 'reports:read' },
    schema: {
      tags,
      summary: 'Products report',
      description: `Quantity, value, cost and margin of each product sold (less returns), by customer, store and time.${csvNote}`,
      querystring: productsQuerySchema,
      response: { 200: productsReportSchema, ...problems(422) },
    },
    handler: async (request, reply) => {
      const { format, ...filter } = request.query;
      if (format === 'csv') return sendCsv(request, reply, reports, 'products', filter);
      return { items: await reports.products(request.ctx, filter) };
    },
  });

  app.get('/reports/sales-by-customer', {
    config: { access: 'reports:read' },
    schema: {
      tags,
      summary: 'Sales by customer',
      description: `Orders and totals per customer, largest first. Deleted customers stay, under their record id, and cannot be found by name.${csvNote}`,
      querystring: salesByCustomerQuerySchema,
      response: { 200: salesByCustomerReportSchema, ...problems(422) },
    },
    handler: async (request, reply) => {
      const { format, limit, ...filter } = request.query;
      if (format === 'csv') return sendCsv(request, reply, reports, 'sales-by-customer', filter);
      return { items: await reports.salesByCustomer(request.ctx, { ...filter, limit }) };
    },
  });

  app.get('/customers/:id/products', {
    config: { access: 'sales:read' },
    schema: {
      tags: ['Customers'],
      summary: 'Products a customer bought',
      description: 'Quantity, value, cost and margin of each product, sortable, for any time range.',
      params: z.object({ id: uuid }),
      querystring: productsQuerySchema.omit({ customerId: true, storeId: true, format: true }),
      response: { 200: productsReportSchema, ...problems(404, 422) },
    },
    handler: async (request) => ({
      items: await reports.customerProducts(request.ctx, request.params.id, request.query),
    }),
  });
};
