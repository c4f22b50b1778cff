import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOpenApiDocument } from './openapi-document.ts';

describe('the checked-in OpenAPI document', () => {
  it('matches what the server publishes (run `npm run openapi` after changing a route or schema)', async () => {
    const checkedIn = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/openapi.json'), 'utf8');
    expect(await renderOpenApiDocument()).toBe(checkedIn);
  });
});
