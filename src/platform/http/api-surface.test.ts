import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the API document and health', () => {
  it('publishes an OpenAPI 3.1 document of every route, with request and response schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/customers',
        '/api/v1/customers/{id}',
        '/api/v1/customers/{id}/notes',
        '/api/v1/settings',
        '/healthz',
        '/readyz',
      ]),
    );
    const create = doc.paths['/api/v1/customers'].post;
    expect(create.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(doc.components.schemas.Customer.properties.physicalAddress).toBeDefined();
  });

  it('serves a readable API reference page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    const page =
      res.statusCode === 302 ? await t.app.inject({ method: 'GET', url: res.headers.location as string }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('reports live and ready', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('answers an unknown API route with a 404 problem, not the web page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('serves the web UI for any page address', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/customers/some/page' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
  });

  it('hides what went wrong inside behind a 500 with a reference, never a driver message', async () => {
    // A merchant id that exists nowhere makes the settings row vanish mid-request; force a real SQL error instead:
    // the pool is closed under the app, so the driver fails.
    const broken = await createTestApp();
    await broken.database.pool.end();
    const res = await broken.owner.inject({ method: 'GET', url: '/api/v1/settings' });
    expect(res.statusCode).toBe(500);
    const problem = res.json();
    expect(problem.code).toBe('internal');
    expect(problem.detail).toContain(problem.requestId);
    expect(JSON.stringify(problem)).not.toMatch(/pool|pg|Cannot use a pool/i);
    await broken.app.close();
  });
});
