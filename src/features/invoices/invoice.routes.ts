import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import { customerIdParams } from '../customers/customer.schema.ts';
import {
  creditLimitUpdateSchema,
  customerAccountSchema,
  emailToSchema,
  invoiceDetailSchema,
  invoicePageSchema,
  invoiceParams,
  invoicePaymentCreateSchema,
  invoicePaymentResultSchema,
  invoiceQuerySchema,
  invoiceTotalsSchema,
  invoiceVoidSchema,
  statementQuerySchema,
  statementSchema,
} from './invoice.schema.ts';
import type { InvoiceService } from './invoice.service.ts';

export const invoiceRoutes: FastifyPluginAsyncZod<{ invoices: InvoiceService }> = async (app, { invoices }) => {
  const tags = ['Invoices'];
  const html = z.string().describe('An HTML page');
  const sent = z.object({ to: z.string() });

  app.get('/invoices', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'Invoices of on-account sales, newest first',
      description:
        'For the whole business, or one customer. `status=unpaid` lists everything still open; `overdue` what is past its due date.',
      querystring: invoiceQuerySchema,
      response: { 200: invoicePageSchema, ...problems(404, 422) },
    },
    handler: (request) => invoices.list(request.ctx, request.query),
  });

  app.get('/invoices/totals', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'What the business is owed on account, and how much is overdue',
      response: { 200: invoiceTotalsSchema },
    },
    handler: (request) => invoices.totals(request.ctx),
  });

  app.get('/invoices/:id', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'An invoice with its payments',
      params: invoiceParams,
      response: { 200: invoiceDetailSchema, ...problems(404, 422) },
    },
    handler: (request) => invoices.get(request.ctx, request.params.id),
  });

  app.post('/invoice-payments', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: 'Settle invoices: one, part of one, or several with one payment',
      description:
        "Name the invoices and amounts in `allocations`, or leave them out to settle the customer's oldest due invoices first. " +
        'A payment can never settle more than is open. Recorded in the audit log.',
      body: invoicePaymentCreateSchema,
      response: { 201: invoicePaymentResultSchema, ...problems(400, 404, 415, 422) },
    },
    handler: async (request, reply) => reply.code(201).send(await invoices.settle(request.ctx, request.body)),
  });

  app.post('/invoices/:id/void', {
    config: { access: 'invoices:manage' },
    schema: {
      tags,
      summary: 'Void an invoice',
      description:
        "Writes off what is still open and takes it off the customer's account; payments already received stay. A paid invoice cannot be voided.",
      params: invoiceParams,
      body: invoiceVoidSchema,
      response: { 200: invoiceDetailSchema, ...problems(400, 404, 409, 415, 422) },
    },
    handler: (request) => invoices.void(request.ctx, request.params.id, request.body.reason),
  });

  app.get('/invoices/:id/document', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'The invoice as a page to print',
      params: invoiceParams,
      produces: ['text/html'],
      response: { 200: html, ...problems(404, 422) },
    },
    handler: async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(await invoices.invoicePage(request.ctx, request.params.id)),
  });

  app.post('/invoices/:id/email', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: 'Email the invoice',
      description: "To the customer's email, or the address given; through the SMTP server of Settings → Email.",
      params: invoiceParams,
      body: emailToSchema,
      response: { 200: sent, ...problems(400, 404, 409, 415, 422), 502: problemSchema },
    },
    handler: (request) => invoices.emailInvoice(request.ctx, request.params.id, request.body.to),
  });

  app.get('/customers/:id/account', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "A customer's account: what they owe, what is overdue, their credit limit",
      params: customerIdParams,
      response: { 200: customerAccountSchema, ...problems(404, 422) },
    },
    handler: (request) => invoices.getAccount(request.ctx, request.params.id),
  });

  app.put('/customers/:id/credit-limit', {
    config: { access: 'invoices:manage' },
    schema: {
      tags,
      summary: "Set a customer's credit limit (null: the business default)",
      params: customerIdParams,
      body: creditLimitUpdateSchema,
      response: { 200: customerAccountSchema, ...problems(400, 404, 415, 422) },
    },
    handler: (request) => invoices.setCreditLimit(request.ctx, request.params.id, request.body.creditLimit),
  });

  app.get('/customers/:id/statement', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: "A customer's statement: open invoices with ageing",
      description: 'Buckets by days past the due date on `asOf`: current, 1–30, 31–60, 61–90, over 90.',
      params: customerIdParams,
      querystring: statementQuerySchema,
      response: { 200: statementSchema, ...problems(404, 422) },
    },
    handler: (request) => invoices.statement(request.ctx, request.params.id, request.query.asOf),
  });

  app.get('/customers/:id/statement/document', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: "A customer's statement as a page to print",
      params: customerIdParams,
      querystring: statementQuerySchema,
      produces: ['text/html'],
      response: { 200: html, ...problems(404, 422) },
    },
    handler: async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await invoices.statementPage(request.ctx, request.params.id, request.query.asOf)),
  });

  app.post('/customers/:id/statement/email', {
    config: { access: 'sales:write' },
    schema: {
      tags,
      summary: "Email a customer's statement",
      params: customerIdParams,
      querystring: statementQuerySchema,
      body: emailToSchema,
      response: { 200: sent, ...problems(400, 404, 409, 415, 422), 502: problemSchema },
    },
    handler: (request) => invoices.emailStatement(request.ctx, request.params.id, request.body.to, request.query.asOf),
  });
};
