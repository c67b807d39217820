import { useMemo } from 'react';
import { useSession } from '../../../session/session-context.ts';
import { useCreateTag, useTags } from '../../tags/index.ts';
import type { ButtonTags } from './ActionEditor.tsx';

/**
 * The hotel's tags for a button to give, and, for staff who may make tags (tags.edit), a new one made from its name on
 * the button: an activity tag (活動標籤), since a tap on an offer says what the guest took an interest in.
 */
export function useButtonTags(): ButtonTags {
  const { can } = useSession();
  const tags = useTags();
  const create = useCreateTag();
  const mayCreate = can('tags.edit');
  return useMemo(
    () => ({
      options: (tags.data ?? []).map((tag) => ({ id: tag.id, name: tag.name })),
      create: mayCreate ? async (name: string) => create.mutateAsync({ name, kind: 'campaign' }) : undefined,
    }),
    [tags.data, mayCreate, create],
  );
}
