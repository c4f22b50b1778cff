import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { auditRoutes } from '../../features/audit/audit.routes.ts';
import { AuditService } from '../../features/audit/audit.service.ts';
import { authRoutes } from '../../features/auth/auth.routes.ts';
import { AuthService } from '../../features/auth/auth.service.ts';
import { IdentityCache } from '../../features/auth/identity-cache.ts';
import { balanceRoutes } from '../../features/balances/balance.routes.ts';
import { BalanceService } from '../../features/balances/balance.service.ts';
import { customerRoutes } from '../../features/customers/customer.routes.ts';
import { CustomerService } from '../../features/customers/customer.service.ts';
import { runExportJob, scheduleExportPurge } from '../../features/exports/export.jobs.ts';
import { exportRoutes } from '../../features/exports/export.routes.ts';
import { ExportService } from '../../features/exports/export.service.ts';
import { groupRoutes } from '../../features/groups/group.routes.ts';
import { GroupService } from '../../features/groups/group.service.ts';
import { healthRoutes } from '../../features/health/health.routes.ts';
import { BULK_TASK, runBulkJob, scheduleBulkSweep, scheduleImportPurge } from '../../features/imports/import.jobs.ts';
import { importRoutes } from '../../features/imports/import.routes.ts';
import { ImportService } from '../../features/imports/import.service.ts';
import { invoiceRoutes } from '../../features/invoices/invoice.routes.ts';
import { InvoiceService } from '../../features/invoices/invoice.service.ts';
import { privacyRoutes } from '../../features/privacy/privacy.routes.ts';
import { PrivacyService } from '../../features/privacy/privacy.service.ts';
import { productRoutes } from '../../features/products/product.routes.ts';
import { ProductService } from '../../features/products/product.service.ts';
import { reportRoutes } from '../../features/reports/report.routes.ts';
import { ReportService } from '../../features/reports/report.service.ts';
import { scheduleIdempotencyPurge } from '../../features/sales/idempotency.ts';
import { saleRoutes } from '../../features/sales/sale.routes.ts';
import { SaleService } from '../../features/sales/sale.service.ts';
import { settingsRoutes } from '../../features/settings/settings.routes.ts';
import { SettingsService } from '../../features/settings/settings.service.ts';
import { staffRoutes } from '../../features/staff/staff.routes.ts';
import { StaffService } from '../../features/staff/staff.service.ts';
import { storeRoutes } from '../../features/stores/store.routes.ts';
import { StoreService } from '../../features/stores/store.service.ts';
import { tokenRoutes } from '../../features/tokens/token.routes.ts';
import { TokenService } from '../../features/tokens/token.service.ts';
import type { RequestContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { type Queue, startQueue } from '../jobs/queue.ts';
import { registerAuth, SESSION_COOKIE } from './auth.ts';
import { registerProblemHandler, sendProblem } from './problem-handler.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The merchant, actor and permissions this request runs with (set once it is authenticated). */
    ctx: RequestContext;
  }
}

/** The project's folder (with package.json and dist/), from src/ under tsx or dist/server/ as built. */
const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the server');
    dir = parent;
  }
  return dir;
})();
export const WEB_DIST = path.join(ROOT, 'dist', 'web');
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

export interface AppOptions {
  database: Database;
  /** Behind a reverse proxy: believe its X-Forwarded-* headers (client address, HTTPS). */
  trustProxy?: boolean | string;
  /** Requests an API token may make per window (default: 1,200 a minute). */
  tokenRateLimit?: { limit: number; windowSeconds: number };
  logger?: FastifyServerOptions['logger'];
  /** Log every request (off by default: the console stays readable). */
  logRequests?: boolean;
  /** Folder of the built web UI; the UI is not served when it does not exist. */
  webDir?: string;
  /**
   * Run background jobs (imports, exports) in this process too (default: no; the server does); tests may sweep for stopped jobs
   * more often than every 15 s.
   */
  jobs?: boolean | { sweepEveryMs?: number; staleAfterSeconds?: number };
}

/** JSON bodies above this are refused with 413 before they are read further. */
export const BODY_LIMIT = 1024 * 1024;

/** The whole HTTP application (API, its documentation, the web UI), without listening. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    requestIdHeader: 'x-request-id',
    trustProxy: options.trustProxy ?? false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);

  let queue: Queue | undefined;
  const identities = new IdentityCache();
  const services = {
    auth: new AuthService(options.database, identities),
    audit: new AuditService(options.database),
    balances: new BalanceService(options.database),
    customers: new CustomerService(options.database),
    exports: new ExportService(options.database, { queue: () => queue }),
    groups: new GroupService(options.database),
    imports: new ImportService(options.database, () => queue),
    invoices: new InvoiceService(options.database),
    privacy: new PrivacyService(options.database),
    products: new ProductService(options.database),
    reports: new ReportService(options.database),
    sales: new SaleService(options.database, {
      batcher: {
        onFailure: (error, expected) => {
          app.log[expected ? 'debug' : 'warn'](
            { err: error },
            'A batch of sales failed: its sales were recorded one by one',
          );
        },
      },
    }),
    settings: new SettingsService(options.database, identities),
    staff: new StaffService(options.database, identities),
    stores: new StoreService(options.database),
    tokens: new TokenService(options.database, identities),
  };

  await app.register(fastifyCookie);
  app.decorateRequest('ctx', null as unknown as RequestContext);
  // Before the API document plugin: it must see the access each route declares.
  registerAuth(app, {
    auth: services.auth,
    database: options.database,
    ...(options.tokenRateLimit ? { tokenRateLimit: options.tokenRateLimit } : {}),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Patron API',
        version: PACKAGE_VERSION,
        description:
          'The customer back office of a point-of-sale system. Everything the web UI does goes through this API. ' +
          'Errors are RFC 9457 problem details (`application/problem+json`) with a list of field errors.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The web UI: sign in at POST /api/v1/auth/sign-in; changes also need the X-CSRF-Token header.',
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (Settings → API tokens): `Authorization: Bearer ptk_…`',
          },
        },
      },
      tags: [
        { name: 'Sign-in', description: 'First run, sign-in and sessions' },
        { name: 'Customers', description: 'Customer records, their team-only notes and history' },
        { name: 'Sales', description: 'Sales and refunds from every store and the online shop' },
        { name: 'Imports', description: 'CSV imports of customers, checked before anything is written' },
        { name: 'Invoices', description: 'On-account sales: invoices, payments, credit limits and statements' },
        { name: 'Products', description: 'Products, pushed by the POS by SKU' },
        { name: 'Reports', description: 'Receipts, products and sales by customer, as JSON or CSV' },
        { name: 'Settings', description: "The merchant's settings" },
        { name: 'Stores', description: 'Stores and the online shop' },
        { name: 'Staff', description: 'Staff accounts and their roles' },
        { name: 'API tokens', description: 'Tokens for integrations, with chosen permissions' },
        { name: 'Audit log', description: 'Who did what, when' },
        { name: 'Health', description: 'Liveness and readiness' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { database: options.database });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth: services.auth });
      await api.register(customerRoutes, { customers: services.customers, audit: services.audit });
      await api.register(exportRoutes, { exports: services.exports });
      await api.register(productRoutes, { products: services.products });
      await api.register(saleRoutes, { sales: services.sales });
      await api.register(reportRoutes, { reports: services.reports });
      await api.register(settingsRoutes, { settings: services.settings });
      await api.register(staffRoutes, { staff: services.staff });
      await api.register(storeRoutes, { stores: services.stores });
      await api.register(groupRoutes, { groups: services.groups });
      await api.register(balanceRoutes, { balances: services.balances });
      await api.register(invoiceRoutes, { invoices: services.invoices });
      await api.register(importRoutes, { imports: services.imports });
      await api.register(tokenRoutes, { tokens: services.tokens });
      await api.register(privacyRoutes, { privacy: services.privacy });
      await api.register(auditRoutes, { audit: services.audit });
    },
    { prefix: '/api/v1' },
  );

  if (options.jobs) {
    const database = options.database;
    const log = (error: unknown) => app.log.error({ err: error }, 'A background job failed');
    const started = await startQueue({
      url: database.url,
      tasks: {
        // A bulk job is an import, a modify or delete, or an export: each runner leaves the others' jobs alone.
        [BULK_TASK]: async (payload) => {
          await runBulkJob(database, started, payload);
          await runExportJob(database, started, payload);
        },
      },
      onError: log,
    });
    queue = started;
    const sweep = typeof options.jobs === 'object' ? options.jobs : {};
    const stopSweep = scheduleBulkSweep(database, started, log, {
      everyMs: sweep.sweepEveryMs,
      staleAfterSeconds: sweep.staleAfterSeconds,
    });
    const stopPurge = scheduleExportPurge(database, log);
    const stopImportPurge = scheduleImportPurge(database, log);
    const stopKeyPurge = scheduleIdempotencyPurge(database, log);
    app.addHook('onClose', async () => {
      stopSweep();
      stopPurge();
      stopImportPurge();
      stopKeyPurge();
      queue = undefined;
      await started.stop();
    });
  }

  const webDir = options.webDir ?? WEB_DIST;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0] ?? '');
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html', { maxAge: 0 });
    if (wantsPage) {
      return reply
        .type('text/html')
        .send(
          '<p>The web UI is not built. Run <code>npm run build</code>, or use the API at <a href="/api/docs">/api/docs</a>.</p>',
        );
    }
    return sendProblem(request, reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
  });

  return app;
}
