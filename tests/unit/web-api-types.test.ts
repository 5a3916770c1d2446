import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateApiTypes, SCHEMA_FILE } from '../../web/scripts/api-types.ts';

it('web/src/api/schema.d.ts is generated from the current /openapi.json (run `npm run api:types` when this fails)', async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  expect(committed.length).toBeGreaterThan(1000);
  expect(committed === (await generateApiTypes())).toBe(true);
});
