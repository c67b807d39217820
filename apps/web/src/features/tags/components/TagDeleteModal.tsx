import { Alert, App, Flex, Modal, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useDeleteTag, useTagImpact, type TagUsage, type TagWithCount } from '../api.ts';
import { TagChip } from './TagChips.tsx';

/** Deleting a tag shows what it affects first: members carrying it, and segments, campaigns or rules using it. */
export function TagDeleteModal({ tag, onClose }: { tag: TagWithCount | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const impact = useTagImpact(tag?.id);
  const remove = useDeleteTag();
  const [error, setError] = useState<string>();
  const blocking = impact.data?.usages.filter((usage) => usage.blocking) ?? [];
  const other = impact.data?.usages.filter((usage) => !usage.blocking) ?? [];

  const close = () => {
    setError(undefined);
    onClose();
  };

  const submit = () => {
    if (!tag) return;
    remove.mutate(tag.id, {
      onSuccess: () => {
        void message.success(t('tags.deleted', { name: tag.name }));
        close();
      },
      onError: (failure) => setError(errorMessageOf(failure)),
    });
  };

  const usage = (item: TagUsage) => (
    <li key={`${item.kind}:${item.id}`}>
      <Tag>{t(`tags.impact.usageKind.${item.kind}`)}</Tag>
      {item.kind === 'segment' ? <Link to={`/segments/${item.id}`}>{item.name}</Link> : item.name}
    </li>
  );

  return (
    <Modal
      open={tag !== undefined}
      title={t('tags.impact.title', { name: tag?.name ?? '' })}
      okText={t('common.delete')}
      okButtonProps={{ danger: true, disabled: !impact.data || blocking.length > 0 }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={close}
      confirmLoading={remove.isPending}
      destroyOnHidden
    >
      {impact.isPending ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {impact.isError ? <QueryErrorAlert error={impact.error} onRetry={() => void impact.refetch()} /> : null}
      {impact.data ? (
        <Flex vertical gap={12} data-testid="tag-impact">
          <div>{tag ? <TagChip tag={tag} /> : null}</div>
          <Typography.Paragraph style={{ margin: 0 }}>
            {impact.data.memberCount > 0 ? t('tags.impact.members', { count: impact.data.memberCount }) : t('tags.impact.noMembers')}
          </Typography.Paragraph>
          {blocking.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={t('tags.impact.blocked')}
              description={<ul style={{ margin: 0, paddingInlineStart: 20 }}>{blocking.map(usage)}</ul>}
            />
          ) : null}
          {other.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t('tags.impact.segments', { count: other.length })}
              description={<ul style={{ margin: 0, paddingInlineStart: 20 }}>{other.map(usage)}</ul>}
            />
          ) : null}
          {blocking.length === 0 ? <Typography.Text type="secondary">{t('tags.impact.historyKept')}</Typography.Text> : null}
          {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
        </Flex>
      ) : null}
    </Modal>
  );
}
