/** Public API of the identity module: orgs, users, sessions. Other modules import only from here. */
export {
  getOrgRaw,
  getOrg,
  getPlatformOrg,
  createOrg,
  createPlatformOrgIfMissing,
  ORG_PREFIX,
  type Org,
  type OrgKind,
} from './orgs.js';
export { resolvePrincipal, openSession, type TokenPair, type ClientInfo } from './sessions.js';
export { ensurePlatform } from './bootstrap.js';
export { createStaffUser, staffView, type StaffView } from './staff.js';
export { normalizedPhoneOrThrow } from './owner-sign-in.js';
export { identityRoutes } from './routes.js';
export { getUsersByIds, getOwnerByPhone, ensureOwnerAccount, type UserBrief } from './users.js';
