// `npm run bench -- <name> [options]`: runs bench/<name>.ts, whose default export takes the remaining argv.
// Each benchmark prints its figures and ends with one JSON line {"bench":"<name>",...}.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${available.join(', ')}`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as {
  default: (argv: string[]) => Promise<void>;
};
await mod.default(rest);
