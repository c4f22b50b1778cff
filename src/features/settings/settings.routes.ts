import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import { emailSettingsSchema, emailSettingsUpdateSchema } from './email-settings.schema.ts';
import { settingsSchema, settingsUpdateSchema } from './settings.schema.ts';
import type { SettingsService } from './settings.service.ts';

const tags = ['Settings'];

export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (app, { settings }) => {
  app.get('/settings', {
    config: { access: 'signed-in' },
    schema: { tags, summary: "Read the merchant's settings", response: { 200: settingsSchema } },
    handler: (request) => settings.get(request.ctx),
  });

  app.patch('/settings', {
    config: { access: 'settings:manage' },
    schema: {
      tags,
      summary: "Change the merchant's settings",
      description: 'Only the fields sent change. The required-field settings apply to every later create and edit.',
      body: settingsUpdateSchema,
      response: { 200: settingsSchema, ...problems(400, 413, 415, 422) },
    },
    handler: (request) => settings.update(request.ctx, request.body),
  });

  app.get('/settings/email', {
    config: { access: 'settings:manage' },
    schema: { tags, summary: 'The SMTP server receipts are sent through', response: { 200: emailSettingsSchema } },
    handler: (request) => settings.getEmail(request.ctx),
  });

  app.put('/settings/email', {
    config: { access: 'settings:manage' },
    schema: {
      tags,
      summary: 'Set the SMTP server receipts are sent through',
      body: emailSettingsUpdateSchema,
      response: { 200: emailSettingsSchema, ...problems(400, 422) },
    },
    handler: (request) => settings.updateEmail(request.ctx, request.body),
  });
};
