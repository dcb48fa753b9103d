/** Reference data every installation needs, loaded idempotently at start: catalog, prices, holidays. */
import type { Executor } from '../platform/db/types.js';
import { getPlatformOrg, createPlatformOrgIfMissing } from './identity/index.js';
import { ensureCatalog } from './catalog/index.js';
import { ensureHolidays } from './stores/index.js';

export async function ensureReferenceData(ex: Executor, now: Date): Promise<void> {
  const platform = (await getPlatformOrg(ex)) ?? (await createPlatformOrgIfMissing(ex, now));
  await ensureCatalog(ex, platform);
  await ensureHolidays(ex);
}
