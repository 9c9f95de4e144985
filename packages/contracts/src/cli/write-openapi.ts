// Writes docs/openapi/<service>.json for every service contract, so the API reference is generated
// from the same routers the services and their clients are type-checked against.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, serviceContracts } from '../openapi';

const outDir = join(__dirname, '..', '..', '..', '..', 'docs', 'openapi');
mkdirSync(outDir, { recursive: true });
for (const service of Object.keys(serviceContracts)) {
  const file = join(outDir, `${service}.json`);
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(service), null, 2) + '\n');
  console.log(`wrote ${file}`);
}
