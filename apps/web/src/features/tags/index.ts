/** The tags feature's door: what other features may use (the member screens and the segment builder today). */
export type { MemberTag, Tag, TagKind, TagWithCount } from './api.ts';
export { tagKeys, useChangeTagOnMembers, useCreateTag, useMemberTags, useTags } from './api.ts';
export { TagChip, TagChips } from './components/TagChips.tsx';
export { TagSelect } from './components/TagSelect.tsx';
export { filterTagOption, tagNamed } from './tag-names.ts';
