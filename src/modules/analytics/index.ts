/** Public API of analytics. */
export { overview } from './overview.js';
export { analyticsRoutes } from './routes.js';
