import type { RequestContext } from '../../core/context.ts';

/**
 * Readable names for the targets of audit entries (「會員 M0000001 王小明」, an account's email, a tag's name), found
 * for the page being shown: one query per kind of target on the page, never one per entry. The audit module knows
 * no other module's tables, so each module that owns a kind of target adds its labeler to the `auditTargetLabelers`
 * extension point in its manifest (index.ts). A labeler answers only for targets the viewer may know about, and masks as its own screens do;
 * a target it does not answer for (deleted, or a kind without a labeler) keeps targetLabel null.
 */
export type AuditTargetLabeler = (ctx: RequestContext, ids: readonly string[]) => Promise<Map<string, string>>;
export type AuditTargetLabelers = Readonly<Record<string, AuditTargetLabeler>>;

type Target = { targetType: string; targetId: string };

// Targets with a labeler are rows with uuid keys; anything else in targetId is not looked up (and cannot break the cast).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function labelAuditTargets<T extends Target>(ctx: RequestContext, entries: readonly T[], labelers: AuditTargetLabelers): Promise<Array<T & { targetLabel: string | null }>> {
  const idsByType = new Map<string, Set<string>>();
  for (const { targetType, targetId } of entries) {
    if (!UUID.test(targetId) || !Object.hasOwn(labelers, targetType)) continue;
    const ids = idsByType.get(targetType) ?? new Set<string>();
    ids.add(targetId);
    idsByType.set(targetType, ids);
  }
  const labels = new Map<string, Map<string, string>>();
  // One after another: the labelers share the request's transaction, which runs one statement at a time.
  for (const [targetType, ids] of idsByType) labels.set(targetType, await labelers[targetType]!(ctx, [...ids]));
  return entries.map((entry) => ({ ...entry, targetLabel: labels.get(entry.targetType)?.get(entry.targetId) ?? null }));
}
