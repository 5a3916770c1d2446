import { ensureWebBundle } from '../../src/infra/web-bundle.ts';

/** `npm test` builds the staff pages once (when web/ changed) before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureWebBundle((line) => console.log(line));
}
