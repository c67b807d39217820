import { useEffect } from 'react';
import { Empty, Flex, Pagination, Segmented, Select, Table, Tag, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import { PMS_REVIEWS_PAGE_SIZE, usePmsReviews, type PmsReview } from '../pms-api.ts';
import { openReviewsTab } from './open-reviews-tab.tsx';
import { PmsReviewCard, useReasonLabel } from './PmsReviewCard.tsx';

/** The reasons a case is put to staff for (pms.matching.ts: every reason but those of members left unmatched), offered as the queue's filter. */
const REVIEW_REASONS = [
  'mobile_shared_name_unique',
  'mobile_unique_name_same',
  'mobile_unverified',
  'name_conflict',
  'name_surname_only',
  'name_booker_only',
  'name_unverifiable',
  'several_persons_same_name',
  'id_exact',
  'id_name_differs',
  'id_several_persons',
  'id_conflict',
  'resident_number_converted',
  'birth_date_differs',
  'owner_doubt',
  'hub_number',
  'person_claimed_by_several_members',
  'profile_linked_to_other_member',
] as const;

function pageNumber(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * The PMS matches in the same queue page as LINE bindings: open ones to decide, handled ones to look back on, a page at
 * a time (the server pages and counts). The page, the reason and the handled status are in the address, so a reload,
 * a decision or the way back keeps them.
 */
export function PmsReviews() {
  const { t } = useTranslation();
  const { me } = useSession();
  const reasonLabel = useReasonLabel();
  const [params, setParams] = useSearchParams();
  const tab = params.get('pmsTab') === 'handled' ? 'handled' : 'open';
  const handled = params.get('pmsStatus') === 'rejected' ? 'rejected' : 'linked';
  const reason = params.get('reason') ?? undefined;
  const page = pageNumber(params.get('page'));
  // Only the tab shown asks the server.
  const open = usePmsReviews({ status: 'open', page, reason }, { enabled: tab === 'open' });
  const done = usePmsReviews({ status: handled, page }, { enabled: tab === 'handled' });
  /** Changes what the address says, the rest kept; a new filter starts again at page 1. */
  const setAddress = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    next.set('kind', 'pms');
    if (!('page' in change)) next.delete('page');
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined || (k === 'page' && v === '1')) next.delete(k);
      else next.set(k, v);
    }
    // Paging is a step the way back undoes; a filter replaces the address.
    setParams(next, { replace: !('page' in change) });
  };
  // The last case of the last page decided (or decided by someone else): show the page that now is the last.
  const shown = tab === 'open' ? open.data : done.data;
  const lastPage = shown ? Math.max(1, Math.ceil(shown.total / PMS_REVIEWS_PAGE_SIZE)) : page;
  useEffect(() => {
    if (shown && shown.data.length === 0 && page > lastPage) setParams((current) => (current.set('page', String(lastPage)), current), { replace: true });
  }, [shown, page, lastPage, setParams]);
  const pager = (total: number | undefined) =>
    total !== undefined && total > PMS_REVIEWS_PAGE_SIZE ? (
      <Pagination
        current={page}
        pageSize={PMS_REVIEWS_PAGE_SIZE}
        total={total}
        showSizeChanger={false}
        showTotal={(n) => t('pmsReviews.total', { count: n })}
        onChange={(next) => {
          setAddress({ page: String(next) });
          window.scrollTo({ top: 0 });
        }}
        style={{ alignSelf: 'center' }}
        data-testid="pms-review-pager"
      />
    ) : null;
  const openList = {
    data: open.data?.data,
    isError: open.isError,
    error: open.error,
    isPending: open.isPending,
    refetch: open.refetch,
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pmsReviews.description')}
      </Typography.Paragraph>
      <Tabs
        destroyOnHidden
        activeKey={tab}
        onChange={(key) => setAddress({ pmsTab: key === 'handled' ? 'handled' : undefined, reason: undefined })}
        items={[
          openReviewsTab({
            label: t('bindingReviews.openTab'),
            query: openList,
            total: open.data?.total,
            emptyText: reason ? t('pmsReviews.noneForReason') : t('pmsReviews.openEmpty'),
            testId: 'pms',
            card: (review) => <PmsReviewCard review={review} />,
            header: (
              <Flex gap={8} align="center" wrap>
                <Select
                  allowClear
                  value={reason}
                  placeholder={t('pmsReviews.reasonFilter')}
                  onChange={(value?: string) => setAddress({ reason: value })}
                  options={REVIEW_REASONS.map((code) => ({ value: code, label: reasonLabel(code) }))}
                  style={{ minWidth: 260 }}
                  data-testid="pms-review-reason-filter"
                />
                {open.data ? <Typography.Text type="secondary" data-testid="pms-review-total">{t('pmsReviews.total', { count: open.data.total })}</Typography.Text> : null}
              </Flex>
            ),
            footer: pager(open.data?.total),
          }),
          {
            key: 'handled',
            label: t('pmsReviews.handledTab'),
            children: (
              <Flex vertical gap={16}>
                <Segmented<'linked' | 'rejected'> value={handled} onChange={(value) => setAddress({ pmsStatus: value === 'rejected' ? 'rejected' : undefined })} options={(['linked', 'rejected'] as const).map((value) => ({ value, label: t(`pmsReviews.statuses.${value}`) }))} style={{ alignSelf: 'flex-start' }} />
                <Table<PmsReview>
                  rowKey="id"
                  dataSource={done.data?.data ?? []}
                  loading={done.isFetching}
                  pagination={{ current: page, pageSize: PMS_REVIEWS_PAGE_SIZE, total: done.data?.total ?? 0, hideOnSinglePage: true, showSizeChanger: false, onChange: (next) => setAddress({ page: String(next) }) }}
                  locale={{ emptyText: <Empty description={t('bindingReviews.handledEmpty')} /> }}
                  columns={[
                    { title: t('pmsReviews.member'), key: 'member', render: (_, r) => <Link to={`/members/${r.member.id}`}>{`${r.member.memberNo} ${r.member.lastName}${r.member.firstName}`}</Link> },
                    { title: t('bindingReviews.columns.outcome'), key: 'status', render: (_, r) => <Tag color={r.status === 'linked' ? 'green' : 'default'}>{t(`pmsReviews.statuses.${handled}`)}{r.resolvedProfileIds?.length ? ` · ${r.resolvedProfileIds.join(t('members.listSeparator'))}` : ''}</Tag> },
                    { title: t('pmsReviews.resolvedAt'), dataIndex: 'resolvedAt', width: 170, render: (value: string | null) => (value ? formatInZone(value, me.tenant.timezone) : '—') },
                  ]}
                />
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );
}
