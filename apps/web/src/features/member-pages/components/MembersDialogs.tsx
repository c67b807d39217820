import type { ComponentProps } from 'react';
import { ExportModal } from '../../member-import/index.ts';
import { FilterDrawer } from './FilterDrawer.tsx';
import { MemberFormDrawer } from './MemberFormDrawer.tsx';
import { TagChangeModal } from './TagChangeModal.tsx';

type Props = {
  filter: ComponentProps<typeof FilterDrawer>;
  tagChange: ComponentProps<typeof TagChangeModal>;
  memberForm: ComponentProps<typeof MemberFormDrawer>;
  exporting: ComponentProps<typeof ExportModal>;
};

/**
 * The member list's dialogs and drawers (conditions, tagging, the member form, export), closed when the list first
 * shows: one chunk, fetched once the rows are on screen (MembersPage), so the segment builder, the form, the date
 * pickers and the drawers' part of antd are not parsed before the first row.
 */
export function MembersDialogs({ filter, tagChange, memberForm, exporting }: Props) {
  return (
    <>
      <FilterDrawer {...filter} />
      <TagChangeModal {...tagChange} />
      <MemberFormDrawer {...memberForm} />
      <ExportModal {...exporting} />
    </>
  );
}
