// `npm run openapi`: write the OpenAPI document to docs/openapi.json (checked in; a test fails when it drifts).
import fs from 'node:fs';
import path from 'node:path';
import { renderOpenApiDocument } from '../src/platform/http/openapi-document.ts';

const target = path.resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
fs.writeFileSync(target, await renderOpenApiDocument());
process.stdout.write(`Wrote ${path.relative(process.cwd(), target)}\n`);
