import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import { dayIn } from '../../shared/dates.ts';
import { erasureRequestSchema, erasureSchema, personalDataSchema, privacyCustomerParams } from './privacy.schema.ts';
import type { PrivacyService } from './privacy.service.ts';

const tags = ['Privacy requests'];

/** HTTP only: a customer's right of access (their data, as a file) and right to erasure. */
export const privacyRoutes: FastifyPluginAsyncZod<{ privacy: PrivacyService }> = async (app, { privacy }) => {
  app.get('/customers/:id/personal-data', {
    config: { access: 'privacy:manage' },
    schema: {
      tags,
      summary: "Export a customer's personal data",
      description:
        'Everything held about the customer, deleted or not, as one JSON document to hand to them (a subject access or portability request); sent as a file to save. Recorded in the audit log.',
      params: privacyCustomerParams,
      response: { 200: personalDataSchema, ...problems(404, 409, 422) },
    },
    handler: async (request, reply) => {
      const data = await privacy.personalData(request.ctx, request.params.id);
      const day = dayIn(data.business.timeZone, new Date(data.generatedAt));
      const name = `personal-data-${data.customer.code}-${day}.json`;
      return reply.header('content-disposition', `attachment; filename="${name}"`).send(data);
    },
  });

  app.post('/customers/:id/erase', {
    config: { access: 'privacy:manage' },
    schema: {
      tags,
      summary: "Erase a customer's personal data",
      description:
        "For good, in one step: the profile's personal fields, team notes, the notes on their sales and the values in the audit trail about them; loyalty cards are deactivated. The customer leaves the directory. Sales, statistics, balances and invoices stay under the record id, with no name, so that the books and reports still add up. Refused (409) while the customer owes on account, naming the open invoices, and for a customer already erased. Works on a deleted customer too.",
      params: privacyCustomerParams,
      body: erasureRequestSchema,
      response: { 200: erasureSchema, ...problems(400, 404, 409, 413, 415, 422) },
    },
    handler: (request) => privacy.erase(request.ctx, request.params.id, request.body.reason),
  });
};
