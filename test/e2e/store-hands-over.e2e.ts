import type { Scenario } from './harness.js';
export const storeHandsOver: Scenario = { name: 'store hands over', async run() {} };
