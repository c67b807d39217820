import { z } from 'zod';
import { ZSegmentDefinition } from './segment-definition.ts';

export const ZSegmentIdParams = z.object({ segmentId: z.uuid() });

export const ZSegmentRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'field.required' }).max(100),
  description: z.string().trim().max(500).optional(),
  definition: ZSegmentDefinition,
});

export const ZSegment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  definition: z.unknown(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** Who: a saved segment, an ad-hoc definition, chosen member ids, and/or search text. */
export const ZAudience = z.strictObject({
  segmentId: z.uuid().optional(),
  definition: ZSegmentDefinition.optional(),
  memberIds: z.array(z.uuid()).min(1).max(1000).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export const ZMemberSearchRequest = ZAudience.extend({
  sort: z.enum(['recent', 'joined', 'member_no', 'name']).default('recent'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
});

export const ZMemberListItem = z.object({
  id: z.string(),
  memberNo: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  propertyId: z.string().nullable(),
  marketingOptIn: z.boolean(),
  lineStatus: z.enum(['following', 'blocked', 'never']),
  lineDisplayName: z.string().nullable(),
  linePictureUrl: z.string().nullable(),
  joinedAt: z.date(),
  lastInteractionAt: z.date().nullable(),
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string(), kind: z.string() })),
});

export const ZMemberSearchResponse = z.object({ data: z.array(ZMemberListItem), page: z.number().int(), pageSize: z.number().int(), hasMore: z.boolean() });

export const ZBulkTagRequest = z.strictObject({ audience: ZAudience, tagId: z.uuid(), change: z.enum(['add', 'remove']) });
