import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Popconfirm, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { type MemberTag, TagChip, TagSelect, useChangeTagOnMembers, useMemberTags } from '../../tags/index.ts';
import { useMemberLabels } from '../../members/index.ts';
import { useButtonOrigin } from '../tag-origin.ts';

/** The member's tags with where each came from, when, and until when; staff add and remove them here. */
export function MemberTagsCard({ memberId, timeZone, canEdit }: { memberId: string; timeZone: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useMemberLabels();
  const tags = useMemberTags(memberId);
  const change = useChangeTagOnMembers();
  const [adding, setAdding] = useState<string>();

  const buttonOrigin = useButtonOrigin();

  const provenance = (tag: MemberTag) => {
    const button = buttonOrigin(tag);
    if (button) return t('members.tags.fromText', { text: button });
    const source = labels.tagSource(tag.source);
    if (tag.source === 'staff') return t('members.tags.byStaff', { who: tag.sourceLabel || t('members.actor.staff') });
    return tag.sourceLabel ? t('members.tags.fromLabelled', { source, label: tag.sourceLabel }) : t('members.tags.from', { source });
  };

  const add = () => {
    if (!adding) return;
    change.mutate(
      { tagId: adding, memberIds: [memberId], change: 'add' },
      {
        onSuccess: () => {
          setAdding(undefined);
          void message.success(t('members.tags.added'));
        },
        onError: (error) => void message.error(errorMessageOf(error)),
      },
    );
  };

  const remove = (tag: MemberTag) =>
    change
      .mutateAsync({ tagId: tag.id, memberIds: [memberId], change: 'remove' })
      .then(() => void message.success(t('members.tags.removed', { tag: tag.name })))
      .catch((error: unknown) => void message.error(errorMessageOf(error)));

  const content = () => {
    if (tags.isError) return <QueryErrorAlert error={tags.error} onRetry={() => void tags.refetch()} />;
    if (tags.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
    if (tags.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.tags.empty')} />;
    return (
      <Flex vertical gap={10} data-testid="member-tags">
        {tags.data.map((tag) => (
          <Flex key={tag.id} gap={8} align="flex-start" justify="space-between">
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <span>
                <TagChip tag={tag} />
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {provenance(tag)} · {formatInZone(tag.addedAt, timeZone)}
                {tag.expiresAt ? ` · ${t('members.tags.expires', { time: formatInZone(tag.expiresAt, timeZone) })}` : ''}
              </Typography.Text>
            </Flex>
            {canEdit ? (
              <Popconfirm title={t('members.tags.removeConfirm', { tag: tag.name })} okText={t('members.tags.remove')} cancelText={t('common.cancel')} onConfirm={() => remove(tag)}>
                <Button type="link" size="small" danger aria-label={t('members.tags.removeNamed', { tag: tag.name })}>
                  {t('members.tags.remove')}
                </Button>
              </Popconfirm>
            ) : null}
          </Flex>
        ))}
      </Flex>
    );
  };

  return (
    <Card title={t('members.tags.title')}>
      {content()}
      {canEdit ? (
        <Flex gap={8} style={{ marginTop: 16 }}>
          <TagSelect aria-label={t('members.tags.addLabel')} value={adding} onChange={setAdding} exclude={(tags.data ?? []).map((tag) => tag.id)} style={{ flex: 1 }} />
          <Button icon={<PlusOutlined />} onClick={add} disabled={!adding} loading={change.isPending}>
            {t('members.tags.add')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}
