import { z } from 'zod';
import { TAG_KINDS, TAG_SOURCES } from '../vocabulary.ts';
import { ZCleanName } from './fields.ts';

/** POST /api/tags; PATCH /api/tags/:id takes any part of it. */
export const ZTagRequest = z.strictObject({
  name: ZCleanName(50),
  kind: z.enum(TAG_KINDS),
  category: z.string().trim().max(50).optional(),
  color: z.string().regex(/^(#[0-9a-fA-F]{6}|[a-z]+)$/).max(20).optional(),
  description: z.string().trim().max(500).optional(),
  /** Assignments expire this many days after they are added; null = never. */
  validityDays: z.number().int().min(1).max(3650).nullable().optional(),
});

export const ZTag = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(TAG_KINDS),
  category: z.string(),
  color: z.string(),
  description: z.string(),
  validityDays: z.number().int().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** GET /api/tags: filtered by kind or name (the admin app filters on its side). */
export const ZTagListQuery = z.strictObject({ kind: z.enum(TAG_KINDS).optional(), search: z.string().max(50).optional() });

export const ZTagWithCount = ZTag.extend({ memberCount: z.number().int() });
/** GET /api/tags: every tag with its member count. */
export const ZTagList = z.object({ data: z.array(ZTagWithCount) });

/** Something that refers to a tag (a segment, a campaign, a rule); a blocking use prevents deleting the tag. */
export const ZTagUsage = z.object({ kind: z.enum(['segment', 'campaign', 'rule']), id: z.string(), name: z.string(), blocking: z.boolean() });

/** GET /api/tags/:id/impact: what deleting the tag would affect. */
export const ZTagImpact = z.object({ tag: ZTag, memberCount: z.number().int(), usages: z.array(ZTagUsage) });

/** A tag on one member, with where it came from. */
export const ZMemberTag = ZTag.extend({
  addedAt: z.date(),
  source: z.enum(TAG_SOURCES),
  sourceRef: z.string(),
  /** The campaign's or rule's name, the staff member, the import file … ('' when none or not the viewer's to see). */
  sourceLabel: z.string(),
  /** For a tag a button gave: the button's label (with sourceLabel naming its campaign or rule); '' otherwise. */
  sourceDetail: z.string(),
  /** It came from a campaign or rule of a property the viewer does not work with: neither is named. */
  otherProperty: z.boolean(),
  expiresAt: z.date().nullable(),
});
/** GET /api/members/:id/tags */
export const ZMemberTagList = z.object({ data: z.array(ZMemberTag) });

/** POST /api/tags/:id/members (add) and /members/remove: the tag on chosen members. */
export const ZTagMembersRequest = z.strictObject({ memberIds: z.array(z.uuid()).min(1).max(1000) });
export const ZTagMembersChange = z.object({ changed: z.number().int() });
