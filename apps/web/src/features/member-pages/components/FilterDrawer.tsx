import { App, Button, Drawer, Flex, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { type DraftGroup, EMPTY_DEFINITION, type SegmentDefinition, toDraft } from '../../members/index.ts';
import { LiveCountPanel, SaveSegmentModal, type SaveSegmentTarget, type Segment, SegmentBuilder, useLiveCount } from '../../segments/index.ts';

type Props = {
  open: boolean;
  value: SegmentDefinition | undefined;
  onClose: () => void;
  onApply: (definition: SegmentDefinition | undefined) => void;
  onSavedAsSegment: (segment: Segment) => void;
};

/** Ad-hoc conditions for the member list, built like a segment (and savable as one). */
export function FilterDrawer({ open, value, onClose, onApply, onSavedAsSegment }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<DraftGroup>(() => toDraft(value ?? EMPTY_DEFINITION));
  const [saving, setSaving] = useState<SaveSegmentTarget>();
  const live = useLiveCount(draft);

  // Each opening starts from the conditions the list currently applies.
  useEffect(() => {
    if (open) setDraft(toDraft(value ?? EMPTY_DEFINITION));
  }, [open, value]);

  const complete = live.incomplete.size === 0;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('members.filter.title')}
      size={760}
      footer={
        <Flex justify="space-between" align="center" gap={8} wrap>
          <LiveCountPanel live={live} />
          <Flex gap={8} wrap>
            <Button onClick={() => setDraft(toDraft(EMPTY_DEFINITION))}>{t('members.filter.reset')}</Button>
            {can('tags.edit') ? (
              <Button disabled={!complete || live.definition.conditions.length === 0} onClick={() => setSaving({ mode: 'create', definition: live.definition })}>
                {t('members.filter.saveAsSegment')}
              </Button>
            ) : null}
            <Button type="primary" disabled={!complete} onClick={() => onApply(live.definition.conditions.length > 0 ? live.definition : undefined)}>
              {t('members.filter.apply')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('members.filter.description')}</Typography.Paragraph>
      <SegmentBuilder value={draft} onChange={setDraft} issues={live.issues} />
      <SaveSegmentModal
        target={saving}
        onClose={() => setSaving(undefined)}
        onSaved={(segment) => {
          setSaving(undefined);
          void message.success(t('segments.saved', { name: segment.name }));
          onSavedAsSegment(segment);
        }}
      />
    </Drawer>
  );
}
