import { z } from 'zod';

export const ZTagIdParams = z.object({ tagId: z.uuid() });

export const ZTagRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'field.required' }).max(50),
  kind: z.enum(['basic', 'campaign']),
  category: z.string().trim().max(50).optional(),
  color: z.string().regex(/^(#[0-9a-fA-F]{6}|[a-z]+)$/).max(20).optional(),
  description: z.string().trim().max(500).optional(),
  validityDays: z.number().int().min(1).max(3650).nullable().optional(),
});

export const ZTag = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['basic', 'campaign']),
  category: z.string(),
  color: z.string(),
  description: z.string(),
  validityDays: z.number().int().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZTagWithCount = ZTag.extend({ memberCount: z.number().int() });

export const ZTagUsage = z.object({ kind: z.enum(['segment', 'campaign', 'rule']), id: z.string(), name: z.string(), blocking: z.boolean() });

export const ZTagImpact = z.object({ tag: ZTag, memberCount: z.number().int(), usages: z.array(ZTagUsage) });

export const ZMemberTag = ZTag.extend({
  addedAt: z.date(),
  source: z.enum(['staff', 'campaign', 'rule', 'pms', 'import', 'api', 'line']),
  sourceRef: z.string(),
  sourceLabel: z.string(),
  expiresAt: z.date().nullable(),
});

export const ZTagMembersRequest = z.strictObject({ memberIds: z.array(z.uuid()).min(1).max(1000) });
