import { useMemo } from 'react';
import { useSession } from '../../../session/session-context.ts';
import { useCreateTag, useTags } from '../../tags/index.ts';
import type { ButtonTags } from './ActionEditor.tsx';

/**
 * The hotel's activity tags (活動標籤) for a button to give, and, for staff who may make tags (tags.edit), a new one
 * made from its name on the button: a tap on an offer says what the guest took an interest in. Basic member tags (VIP,
 * 常客: who the guest is, kept by staff and the PMS) are not offered: the server refuses them on a button.
 */
export function useButtonTags(): ButtonTags {
  const { can } = useSession();
  const tags = useTags();
  // The mutation's result is a new object on every render (its state); its mutateAsync is the same function throughout.
  // Depending on it alone keeps these tags (and so each button's picker options) the same between the editor's
  // renders, which would otherwise rebuild them on every estimate answer.
  const { mutateAsync: createTag } = useCreateTag();
  const mayCreate = can('tags.edit');
  return useMemo(
    () => ({
      options: (tags.data ?? []).filter((tag) => tag.kind === 'campaign').map((tag) => ({ id: tag.id, name: tag.name })),
      basic: (tags.data ?? []).filter((tag) => tag.kind !== 'campaign').map((tag) => ({ id: tag.id, name: tag.name })),
      create: mayCreate ? async (name: string) => createTag({ name, kind: 'campaign' }) : undefined,
    }),
    [tags.data, mayCreate, createTag],
  );
}
