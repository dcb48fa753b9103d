/**
 * The trouble-code catalogue at run time: read once per process from PITLANE_DTC_DATA_DIR (default
 * ../shared/data/obd-dtc beside the repository). Without the data files, the few codes written here
 * (obd/dtc-catalogue.ts BUILTIN_DTCS) still answer, and a warning is logged.
 */
import type { AppContext } from '../../platform/context.js';
import { errorSummary } from '../../platform/errors.js';
import {
  buildDtcCatalogue,
  DEFAULT_DTC_DATA_DIR,
  dtcCatalogueAttribution,
  loadDtcCatalogue,
  type DtcCatalogue,
} from './obd/index.js';
import { BUILTIN_DTCS } from './obd/dtc-catalogue.js';

const cache = new Map<string, Promise<DtcCatalogue>>();

export function dtcCatalogue(ctx: AppContext): Promise<DtcCatalogue> {
  const dir = ctx.config.dtcDataDir ?? DEFAULT_DTC_DATA_DIR;
  let hit = cache.get(dir);
  if (!hit) {
    hit = loadDtcCatalogue(dir).catch((e: unknown) => {
      ctx.log.warn(
        { dir, err: errorSummary(e) },
        'trouble-code data not found; using the built-in codes only',
      );
      return buildDtcCatalogue([{ source: 'pitlane', codes: BUILTIN_DTCS }], dtcCatalogueAttribution());
    });
    cache.set(dir, hit);
  }
  return hit;
}

/** The short attribution shown with descriptions (full licence texts: catalogue.attribution). */
export const DTC_ATTRIBUTION = dtcCatalogueAttribution();
