import type { Scenario } from './harness.js';
export const dashboardRenders: Scenario = { name: 'dashboard', async run() {} };
