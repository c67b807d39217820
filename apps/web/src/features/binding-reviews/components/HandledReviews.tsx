import { Empty, Flex, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { HANDLED_STATUSES, useBindingReviews, type BindingReview, type HandledStatus } from '../api.ts';

const STATUS_COLORS: Record<HandledStatus, string> = { linked: 'green', created: 'blue', dismissed: 'default' };

/** Reviews staff already decided, one status at a time (the API lists by status). */
export function HandledReviews({ status, onStatusChange }: { status: HandledStatus; onStatusChange: (status: HandledStatus) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const reviews = useBindingReviews(status);
  const zone = me.tenant.timezone;

  const columns: TableColumnsType<BindingReview> = [
    { title: t('bindingReviews.columns.guest'), key: 'guest', render: (_, review) => review.lineDisplayName || t('bindingReviews.unnamedGuest') },
    { title: t('bindingReviews.columns.submittedName'), key: 'name', render: (_, review) => (typeof review.submitted.name === 'string' && review.submitted.name) || '—' },
    { title: t('bindingReviews.columns.reason'), dataIndex: 'reason', width: 150, render: (reason: BindingReview['reason']) => t(`bindingReviews.reasons.${reason}`) },
    {
      title: t('bindingReviews.columns.outcome'),
      key: 'outcome',
      render: (_, review) => (
        <Flex gap={8} align="center" wrap>
          <Tag color={STATUS_COLORS[status]}>{t(`bindingReviews.statuses.${status}`)}</Tag>
          {review.resolvedMemberId ? (
            <Link to={`/members/${review.resolvedMemberId}`}>
              {review.candidates.find((candidate) => candidate.id === review.resolvedMemberId)?.memberNo ?? t('bindingReviews.openMember')}
            </Link>
          ) : null}
        </Flex>
      ),
    },
    { title: t('bindingReviews.columns.createdAt'), dataIndex: 'createdAt', width: 170, render: (value: string) => formatInZone(value, zone) },
    { title: t('bindingReviews.columns.resolvedAt'), dataIndex: 'resolvedAt', width: 170, render: (value: string | null) => (value ? formatInZone(value, zone) : '—') },
  ];

  return (
    <Flex vertical gap={16}>
      <Segmented<HandledStatus>
        aria-label={t('bindingReviews.statusFilter')}
        value={status}
        onChange={onStatusChange}
        options={HANDLED_STATUSES.map((value) => ({ value, label: t(`bindingReviews.statuses.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      {reviews.isError ? (
        <QueryErrorAlert error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : (
        <Table<BindingReview>
          rowKey="id"
          columns={columns}
          dataSource={reviews.data ?? []}
          loading={reviews.isFetching}
          scroll={{ x: 900 }}
          data-testid="binding-handled-table"
          locale={{ emptyText: <Empty description={t('bindingReviews.handledEmpty')} /> }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          footer={() => <Typography.Text type="secondary">{t('bindingReviews.latestOnly')}</Typography.Text>}
        />
      )}
    </Flex>
  );
}
