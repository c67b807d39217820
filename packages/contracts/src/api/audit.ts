import { z } from 'zod';
import { ZFilterTime } from './fields.ts';
import { pageOf, ZPageQuery } from './pages.ts';

export const ZAuditQuery = ZPageQuery.extend({
  action: z.string().max(100).optional(),
  actor: z.string().max(254).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  from: ZFilterTime.optional(),
  to: ZFilterTime.optional(),
}).strict();

export const ZAuditEntry = z.object({
  id: z.string(),
  occurredAt: z.date(),
  actorAccountId: z.string().nullable(),
  actorEmail: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  /** The target by name (「M0000001 王小明」, an email, a tag's name), when its module can tell and the viewer may know. */
  targetLabel: z.string().nullable(),
  ip: z.string(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const ZAuditPage = pageOf(ZAuditEntry);

/** GET /api/audit-log/actions: the actions the log records (for filters). */
export const ZAuditActions = z.object({ actions: z.array(z.string()) });
