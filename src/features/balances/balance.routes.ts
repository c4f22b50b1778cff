import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import { customerIdParams } from '../customers/customer.schema.ts';
import {
  balanceAdjustmentSchema,
  balanceEntryPageSchema,
  balanceEntryQuerySchema,
  balancesSchema,
  loyaltyCardCreateSchema,
  loyaltyCardListSchema,
  loyaltyCardParams,
  loyaltyCardSchema,
} from './balance.schema.ts';
import type { BalanceService } from './balance.service.ts';

export const balanceRoutes: FastifyPluginAsyncZod<{ balances: BalanceService }> = async (app, { balances }) => {
  const tags = ['Balances'];

  app.get('/customers/:id/balances', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "A customer's loyalty points, store credit and account",
      params: customerIdParams,
      response: { 200: balancesSchema, ...problems(404, 422) },
    },
    handler: (request) => balances.get(request.ctx, request.params.id),
  });

  app.get('/customers/:id/balance-entries', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "A customer's balance ledger",
      description:
        'Every change of a balance, newest first: sales, refunds, cancellations, adjustments, expiry. Entries are never changed; each balance is their sum.',
      params: customerIdParams,
      querystring: balanceEntryQuerySchema,
      response: { 200: balanceEntryPageSchema, ...problems(404, 422) },
    },
    handler: (request) => balances.entries(request.ctx, request.params.id, request.query),
  });

  app.post('/customers/:id/balance-adjustments', {
    config: { access: 'balances:adjust' },
    schema: {
      tags,
      summary: 'Adjust loyalty points or issue / adjust store credit',
      description:
        'Adds a ledger entry with the reason given; a balance never goes below zero. Recorded in the audit log.',
      params: customerIdParams,
      body: balanceAdjustmentSchema,
      response: { 200: balancesSchema, ...problems(400, 404, 415, 422) },
    },
    handler: (request) => balances.adjust(request.ctx, request.params.id, request.body),
  });

  app.get('/customers/:id/loyalty-cards', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "A customer's loyalty cards",
      params: customerIdParams,
      response: { 200: loyaltyCardListSchema, ...problems(404, 422) },
    },
    handler: async (request) => ({ items: await balances.cards(request.ctx, request.params.id) }),
  });

  app.post('/customers/:id/loyalty-cards', {
    config: { access: 'customers:write' },
    schema: {
      tags,
      summary: 'Link a loyalty card to a customer',
      description: 'Scanning or typing the number at the till or in search finds the customer.',
      params: customerIdParams,
      body: loyaltyCardCreateSchema,
      response: { 201: loyaltyCardSchema, ...problems(400, 404, 409, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await balances.addCard(request.ctx, request.params.id, request.body.number)),
  });

  app.post('/customers/:id/loyalty-cards/:cardId/deactivate', {
    config: { access: 'customers:write' },
    schema: {
      tags,
      summary: 'Deactivate a lost or replaced loyalty card',
      params: loyaltyCardParams,
      response: { 200: loyaltyCardSchema, ...problems(404, 422) },
    },
    handler: (request) => balances.deactivateCard(request.ctx, request.params.id, request.params.cardId),
  });
};
