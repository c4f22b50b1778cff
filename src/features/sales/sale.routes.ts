import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { uuid } from '../../shared/fields.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import { APPROVAL_HEADER } from '../auth/auth.schema.ts';
import {
  saleCancelSchema,
  saleCreateSchema,
  saleCustomerChangeSchema,
  saleNoteSchema,
  salePageSchema,
  saleRefundSchema,
  saleSchema,
} from './sale.schema.ts';
import type { SaleService } from './sale.service.ts';

const tags = ['Sales'];
const params = z.object({ id: uuid });

export const saleRoutes: FastifyPluginAsyncZod<{ sales: SaleService }> = async (app, { sales }) => {
  app.post('/sales', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: 'Record a sale',
      description:
        'Lines and payments must add up (422 with both totals otherwise). Send an `Idempotency-Key` header: a retry with the same key and body ' +
        'answers with the first sale (`Idempotent-Replayed: true`) and writes nothing; the same key with another body is refused (422). ' +
        'Keys are remembered for 30 days. ' +
        'The receipt reference is unique per store and protects retries in the same way. The customer (by id, code or email) sees the sale in ' +
        'their history and statistics at once.',
      headers: z.object({
        'idempotency-key': z.string().min(1).max(255).optional().describe('Any unique string per sale, e.g. a UUID'),
        [APPROVAL_HEADER]: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe(
            "A manager's approval (POST /auth/approvals, permission invoices:manage, recordId the Idempotency-Key) for a cashier's sale past the customer's credit limit, with creditLimitOverride",
          ),
      }),
      body: saleCreateSchema,
      response: { 201: saleSchema, ...problems(400, 409, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const { sale, replayed } = await sales.record(request.ctx, request.body, request.headers['idempotency-key'], {
        approval: request.headers[APPROVAL_HEADER],
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).header('location', `/api/v1/sales/${sale.id}`).send(sale);
    },
  });

  app.get('/sales/:id', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'Get a sale (receipt) with its lines and payments',
      params,
      response: { 200: saleSchema, ...problems(404, 422) },
    },
    handler: (request) => sales.get(request.ctx, request.params.id),
  });

  app.post('/sales/:id/cancel', {
    config: { access: 'sales:cancel' },
    schema: {
      tags,
      summary: 'Cancel (void) a sale',
      description:
        "The sale stays on record as cancelled and leaves its customer's statistics. A sale with refunds cannot be cancelled.",
      params,
      body: saleCancelSchema,
      response: { 200: saleSchema, ...problems(400, 404, 409, 422) },
    },
    handler: (request) => sales.cancel(request.ctx, request.params.id, request.body.reason),
  });

  app.post('/sales/:id/refund', {
    config: { access: 'sales:cancel' },
    schema: {
      tags,
      summary: 'Return items of a sale',
      description:
        'Records a refund sale with negative lines that references this one; payments are the money given back (negative).',
      params,
      body: saleRefundSchema,
      response: { 201: saleSchema, ...problems(400, 404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await sales.refund(request.ctx, request.params.id, request.body)),
  });

  app.post('/sales/:id/customer', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: 'Attach a sale to a customer, move it to another, or detach it',
      description: "Its refunds follow it, and both customers' statistics are corrected.",
      params,
      body: saleCustomerChangeSchema,
      response: { 200: saleSchema, ...problems(400, 404, 409, 422) },
    },
    handler: (request) =>
      sales.changeCustomer(request.ctx, request.params.id, request.body.customerId, request.body.reason),
  });

  app.patch('/sales/:id', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: "Edit a sale's note",
      params,
      body: saleNoteSchema,
      response: { 200: saleSchema, ...problems(400, 404, 422) },
    },
    handler: (request) => sales.setNote(request.ctx, request.params.id, request.body.note),
  });

  app.get('/customers/:id/sales', {
    config: { access: 'sales:read' },
    schema: {
      tags: ['Customers'],
      summary: "A customer's receipts, newest first",
      params,
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(20),
        cursor: z.string().max(500).optional(),
      }),
      response: { 200: salePageSchema, ...problems(404, 422) },
    },
    handler: (request) => sales.listForCustomer(request.ctx, request.params.id, request.query),
  });

  app.get('/sales/:id/receipt', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'The receipt as a page to print',
      description: 'HTML laid out for a receipt printer or A4, times in the store time zone.',
      params,
      produces: ['text/html'],
      response: { 200: z.string().describe('An HTML page'), ...problems(404, 422) },
    },
    handler: async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(await sales.receiptPage(request.ctx, request.params.id)),
  });

  app.post('/sales/:id/email', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: 'Email the receipt',
      description: "To the customer's email, or to the address given; through the SMTP server of Settings → Email.",
      params,
      body: z.strictObject({
        to: z
          .string()
          .trim()
          .max(254)
          .pipe(z.email({ error: 'Must be a valid email address' }))
          .optional(),
      }),
      response: { 200: z.object({ to: z.string() }), ...problems(400, 404, 409, 422), 502: problemSchema },
    },
    handler: (request) => sales.email(request.ctx, request.params.id, request.body.to),
  });
};
