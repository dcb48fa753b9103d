/** Append-only audit trail: who touched which sensitive record, for what purpose, from where. */
import type { Executor } from './db/types.js';
import { auditLog } from './schema.js';
import type { Principal } from './auth/principal.js';

export interface AuditEntry {
  actor?: Principal | undefined;
  action: string;
  resourceType: string;
  resourceId?: string | undefined;
  purpose?: string | undefined;
  orgPath?: string | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  details?: Record<string, unknown> | undefined;
  at?: Date;
}

export async function audit(ex: Executor, e: AuditEntry): Promise<void> {
  await ex.insert(auditLog).values({
    ...(e.at ? { at: e.at } : {}),
    actorId: e.actor?.userId ?? null,
    actorRole: e.actor?.role ?? null,
    orgPath: e.orgPath ?? (e.actor?.kind === 'staff' ? e.actor.orgPath : null),
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId ?? null,
    purpose: e.purpose ?? null,
    ip: e.ip ?? null,
    requestId: e.requestId ?? null,
    details: e.details ?? null,
  });
}
