import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors.ts';
import { problems } from '../../platform/http/responses.ts';
import {
  columnDocSchema,
  importChangePageSchema,
  importCommitSchema,
  importJobListSchema,
  importJobSchema,
  importOptionsSchema,
  importParams,
  importRowPageSchema,
  importRowsQuerySchema,
} from './import.schema.ts';
import { type ImportService, MAX_IMPORT_BYTES } from './import.service.ts';

const uploadQuerySchema = z.object({
  kind: z
    .enum(['import', 'modify', 'delete'])
    .default('import')
    .describe(
      '`import` new customers; `modify` customers matched by `matchBy`; `delete` them (also needs customers:delete)',
    ),
  matchBy: z
    .enum(['id', 'code', 'email'])
    .default('id')
    .describe('Modify and delete: the column that names the customer'),
  clearEmpty: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Modify: an empty cell clears the field (default: leaves it as it is)'),
  dateOrder: z.enum(['day-first', 'month-first']).default('day-first'),
  fileName: z.string().max(255).optional().describe('For a raw text/csv upload: the file name to show'),
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .describe('JSON: by column number, the field it fills or `ignore` (see ImportOptions)'),
});

export const importRoutes: FastifyPluginAsyncZod<{ imports: ImportService }> = async (app, { imports }) => {
  const tags = ['Imports'];
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } });
  // A file sent as the body itself (curl --data-binary @customers.csv -H 'Content-Type: text/csv').
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { bodyLimit: MAX_IMPORT_BYTES },
    (_r, payload, done) => done(null, payload),
  );

  app.get('/imports/template', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'The import template: every importable column and an example row (CSV)',
      produces: ['text/csv'],
      response: { 200: z.string().describe('CSV') },
    },
    handler: async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="patron-customers-template.csv"')
        .send(imports.template()),
  });

  app.get('/imports/columns', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'What each column of an import file means, its format, whether it is required, its allowed values',
      response: { 200: columnDocSchema },
    },
    handler: () => imports.columns(),
  });

  app.post('/imports', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Upload a CSV of customers to add, modify or delete: starts the dry run',
      description:
        'Send the file as `multipart/form-data` (field `file`) or as the body (`text/csv`). It is stored and checked in the ' +
        'background: follow `GET /imports/{id}` until `validated`, then commit. Files exported from Shopify, Square, ' +
        'Lightspeed Retail (X-Series), WooCommerce, Loyverse and Patron are recognised by their headers.',
      querystring: uploadQuerySchema,
      response: { 202: importJobSchema, ...problems(400, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      let mapping: Record<string, string> | undefined;
      if (request.query.mapping) {
        const parsed = importOptionsSchema.shape.mapping.safeParse(safeJson(request.query.mapping));
        if (!parsed.success) {
          throw AppError.invalid([
            { field: 'mapping', in: 'query', code: 'invalid', message: 'Must be JSON: {"3": "email", "5": "ignore"}' },
          ]);
        }
        mapping = parsed.data;
      }
      let file: AsyncIterable<Uint8Array>;
      let fileName = request.query.fileName ?? null;
      if (request.isMultipart()) {
        const part = await request.file();
        if (!part) {
          throw AppError.invalid([
            { field: 'file', code: 'required', message: 'Attach the CSV file as the field "file"' },
          ]);
        }
        file = part.file;
        fileName = part.filename || fileName;
      } else {
        file = request.body as AsyncIterable<Uint8Array>;
      }
      const job = await imports.start(request.ctx, file, fileName, {
        kind: request.query.kind,
        ...(request.query.kind !== 'import' ? { matchBy: request.query.matchBy } : {}),
        ...(request.query.kind === 'modify' ? { clearEmpty: request.query.clearEmpty } : {}),
        dateOrder: request.query.dateOrder,
        ...(mapping ? { mapping: mapping as never } : {}),
      });
      return reply.code(202).header('location', `/api/v1/imports/${job.id}`).send(job);
    },
  });

  app.get('/imports', {
    config: { access: 'customers:import' },
    schema: { tags, summary: 'Recent imports, newest first', response: { 200: importJobListSchema } },
    handler: async (request) => ({ items: await imports.list(request.ctx) }),
  });

  app.get('/imports/:id', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'An import: its progress, its dry run, its result',
      params: importParams,
      response: { 200: importJobSchema, ...problems(404, 422) },
    },
    handler: (request) => imports.get(request.ctx, request.params.id),
  });

  app.get('/imports/:id/problems', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Rows that are not imported (rejected or skipped) and why, in file order',
      params: importParams,
      querystring: importRowsQuerySchema,
      response: { 200: importRowPageSchema, ...problems(404, 422) },
    },
    handler: (request) => imports.problems(request.ctx, request.params.id, request.query),
  });

  app.get('/imports/:id/changes', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Modify and delete: each matched customer and what changes, field by field',
      params: importParams,
      querystring: importRowsQuerySchema,
      response: { 200: importChangePageSchema, ...problems(404, 422) },
    },
    handler: (request) => imports.changes(request.ctx, request.params.id, request.query),
  });

  app.get('/imports/:id/errors.csv', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'The rows to fix, as a CSV to correct and upload again',
      description:
        'Each row as it was, with its line, the column and the reason; the three error columns are ignored on upload.',
      params: importParams,
      produces: ['text/csv'],
      response: { 200: z.string().describe('CSV'), ...problems(404, 422) },
    },
    handler: async (request, reply) => {
      const { fileName, stream } = await imports.errorFile(request.ctx, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
        .send(stream as never);
    },
  });

  app.get('/imports/:id/file', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'The file as it was uploaded',
      description: 'Byte for byte, with its original name: kept with the import.',
      params: importParams,
      produces: ['text/csv'],
      response: { 200: z.string().describe('The uploaded file'), ...problems(404, 422) },
    },
    handler: async (request, reply) => {
      const { fileName, stream } = await imports.uploadedFile(request.ctx, request.params.id);
      return reply
        .type('text/csv')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
        .send(stream as never);
    },
  });

  app.post('/imports/:id/options', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Check the file again with a column mapped by hand or the other date order',
      params: importParams,
      body: importOptionsSchema,
      response: { 202: importJobSchema, ...problems(400, 404, 409, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(202).send(await imports.recheck(request.ctx, request.params.id, request.body as never)),
  });

  app.post('/imports/:id/commit', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Write the checked customers: every row or none, or the valid rows only',
      description: 'One transaction: a stopped server leaves nothing half written, and the job runs again on its own.',
      params: importParams,
      body: importCommitSchema,
      response: { 202: importJobSchema, ...problems(400, 404, 409, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(202).send(await imports.commit(request.ctx, request.params.id, request.body.mode)),
  });

  app.post('/imports/:id/cancel', {
    config: { access: 'customers:import' },
    schema: {
      tags,
      summary: 'Stop a dry run, set a checked import aside, or stop writing the valid rows',
      description:
        'A dry run stops and drops what it staged; a checked import is set aside; an import of the valid rows only stops after the batches being written (the customers written so far stay, and the job ends `cancelled` with how many were created). An all-or-nothing commit cannot be stopped half way (409).',
      params: importParams,
      response: { 200: importJobSchema, ...problems(404, 409, 422) },
    },
    handler: (request) => imports.cancel(request.ctx, request.params.id),
  });
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
