#!/usr/bin/env node
// Entry point of the `pitlane` CLI: registers the TypeScript loader, then runs src/main.ts.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
await import(main);
