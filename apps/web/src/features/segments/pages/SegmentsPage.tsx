import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { conditionCount, membersLink, useMemberCount } from '../../members/index.ts';
import { useDeleteSegment, useSegments, type Segment } from '../api.ts';
import { SaveSegmentModal, type SaveSegmentTarget } from '../components/SaveSegmentModal.tsx';

function SegmentCount({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation();
  const count = useMemberCount({ segmentId });
  if (count.isError) return <Typography.Text type="danger">{t('segments.countFailed')}</Typography.Text>;
  if (count.data === undefined) return <Typography.Text type="secondary">…</Typography.Text>;
  return <Link to={membersLink({ segmentId })}>{t('segments.count.members', { count: count.data })}</Link>;
}

/** Saved segments: open in the builder, see their members, rename, delete. */
export function SegmentsPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const segments = useSegments();
  const remove = useDeleteSegment();
  const [renaming, setRenaming] = useState<SaveSegmentTarget>();
  const canEdit = can('tags.edit');

  const confirmDelete = (segment: Segment) =>
    modal.confirm({
      title: t('segments.deleteTitle', { name: segment.name }),
      content: t('segments.deleteBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove
          .mutateAsync(segment.id)
          .then(() => void message.success(t('segments.deleted', { name: segment.name })))
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const columns: TableColumnsType<Segment> = [
    {
      title: t('segments.columns.name'),
      key: 'name',
      render: (_, segment) => (
        <Flex vertical gap={2}>
          <Link to={`/segments/${segment.id}`}>{segment.name}</Link>
          {segment.description ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {segment.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { title: t('segments.columns.conditions'), key: 'conditions', width: 110, render: (_, segment) => t('segments.conditionCount', { count: conditionCount(segment.definition) }) },
    { title: t('segments.columns.members'), key: 'members', width: 140, render: (_, segment) => <SegmentCount segmentId={segment.id} /> },
    { title: t('segments.columns.updatedAt'), dataIndex: 'updatedAt', width: 160, render: (value: string) => formatInZone(value, me.tenant.timezone) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 320,
      render: (_, segment) => (
        <Flex gap={0} wrap>
          <Button type="link" size="small" icon={<TeamOutlined />} onClick={() => void navigate(membersLink({ segmentId: segment.id }))} aria-label={t('segments.viewMembersNamed', { name: segment.name })}>
            {t('segments.viewMembers')}
          </Button>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => void navigate(`/segments/${segment.id}`)} aria-label={t('segments.openNamed', { name: segment.name })}>
            {canEdit ? t('segments.open') : t('segments.view')}
          </Button>
          {canEdit ? (
            <>
              <Button type="link" size="small" onClick={() => setRenaming({ mode: 'rename', segment })} aria-label={t('segments.renameNamed', { name: segment.name })}>
                {t('segments.rename')}
              </Button>
              <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => confirmDelete(segment)} aria-label={t('segments.deleteNamed', { name: segment.name })}>
                {t('common.delete')}
              </Button>
            </>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.segments')}
        description={t('segments.description')}
        extra={
          canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/segments/new')}>
              {t('segments.create')}
            </Button>
          ) : undefined
        }
      />
      {segments.isError ? (
        <QueryErrorAlert error={segments.error} onRetry={() => void segments.refetch()} />
      ) : (
        <Table<Segment>
          rowKey="id"
          data-testid="segments-table"
          columns={columns}
          dataSource={segments.data ?? []}
          loading={segments.isPending}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('segments.empty')} /> }}
        />
      )}
      <SaveSegmentModal
        target={renaming}
        onClose={() => setRenaming(undefined)}
        onSaved={(segment) => {
          setRenaming(undefined);
          void message.success(t('segments.saved', { name: segment.name }));
        }}
      />
    </>
  );
}
