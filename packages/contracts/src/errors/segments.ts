import type { ErrorEntry } from './entry.ts';

/** Segments (modules/segments). */
export const SEGMENTS_ERRORS = {
  'segment.not_found': { status: 404, 'zh-TW': '找不到此分眾。', en: 'Segment not found.' },
  'segment.name_taken': { status: 409, 'zh-TW': '分眾名稱已存在。', en: 'A segment with this name already exists.' },
} as const satisfies Record<string, ErrorEntry>;
