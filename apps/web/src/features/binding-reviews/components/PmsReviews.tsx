import { Empty, Flex, Segmented, Table, Tag, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import { usePmsReviews, type PmsReview } from '../pms-api.ts';
import { openReviewsTab } from './open-reviews-tab.tsx';
import { PmsReviewCard } from './PmsReviewCard.tsx';

/** The PMS matches in the same queue page as LINE bindings: open ones to decide, handled ones to look back on. */
export function PmsReviews() {
  const { t } = useTranslation();
  const { me } = useSession();
  const open = usePmsReviews('open');
  const [handled, setHandled] = useState<'linked' | 'rejected'>('linked');
  const done = usePmsReviews(handled);
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pmsReviews.description')}
      </Typography.Paragraph>
      <Tabs
        destroyOnHidden
        items={[
          openReviewsTab({ label: t('bindingReviews.openTab'), query: open, emptyText: t('pmsReviews.openEmpty'), testId: 'pms', card: (review) => <PmsReviewCard review={review} /> }),
          {
            key: 'handled',
            label: t('pmsReviews.handledTab'),
            children: (
              <Flex vertical gap={16}>
                <Segmented<'linked' | 'rejected'> value={handled} onChange={setHandled} options={(['linked', 'rejected'] as const).map((value) => ({ value, label: t(`pmsReviews.statuses.${value}`) }))} style={{ alignSelf: 'flex-start' }} />
                <Table<PmsReview>
                  rowKey="id"
                  dataSource={done.data ?? []}
                  loading={done.isFetching}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  locale={{ emptyText: <Empty description={t('bindingReviews.handledEmpty')} /> }}
                  columns={[
                    { title: t('pmsReviews.member'), key: 'member', render: (_, r) => <Link to={`/members/${r.member.id}`}>{`${r.member.memberNo} ${r.member.lastName}${r.member.firstName}`}</Link> },
                    { title: t('bindingReviews.columns.outcome'), key: 'status', render: (_, r) => <Tag color={r.status === 'linked' ? 'green' : 'default'}>{t(`pmsReviews.statuses.${handled}`)}{r.resolvedProfileIds?.length ? ` · ${r.resolvedProfileIds.join('、')}` : ''}</Tag> },
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
