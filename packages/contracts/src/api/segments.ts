import { z } from 'zod';
import { ZCleanName } from './fields.ts';
import { LINE_STATUSES, MEMBER_SORTS } from '../vocabulary.ts';
import { ZSegmentDefinition, type SegmentDefinition } from './segment-definition.ts';

/** POST /api/segments; PATCH /api/segments/:id takes any part of it. */
export const ZSegmentRequest = z.strictObject({
  name: ZCleanName(100),
  description: z.string().trim().max(500).optional(),
  definition: ZSegmentDefinition,
});

export const ZSegment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  // Checked when it was saved; not walked again on the way out.
  definition: z.custom<SegmentDefinition>(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** GET /api/segments */
export const ZSegmentList = z.object({ data: z.array(ZSegment) });

/** Who: a saved segment, an ad-hoc definition, chosen member ids, and/or search text (all optional, combined with AND). */
export const ZAudience = z.strictObject({
  segmentId: z.uuid().optional(),
  definition: ZSegmentDefinition.optional(),
  memberIds: z.array(z.uuid()).min(1).max(1000).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

/** POST /api/members/search: one page of an audience, sorted. */
export const ZMemberSearchRequest = ZAudience.extend({
  sort: z.enum(MEMBER_SORTS).default('recent'),
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
  lineStatus: z.enum(LINE_STATUSES),
  lineDisplayName: z.string().nullable(),
  linePictureUrl: z.string().nullable(),
  joinedAt: z.date(),
  lastInteractionAt: z.date().nullable(),
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string(), kind: z.string() })),
});

/** No total: counting is POST /api/members/count. */
export const ZMemberSearchResponse = z.object({ data: z.array(ZMemberListItem), page: z.number().int(), pageSize: z.number().int(), hasMore: z.boolean() });

/** POST /api/members/count */
export const ZAudienceCount = z.object({ count: z.number().int() });

/** POST /api/members/bulk-tag: adds or removes a tag on a whole audience. */
export const ZBulkTagRequest = z.strictObject({ audience: ZAudience, tagId: z.uuid(), change: z.enum(['add', 'remove']) });
export const ZBulkTagResult = z.object({ changed: z.number().int(), audience: z.number().int() });
