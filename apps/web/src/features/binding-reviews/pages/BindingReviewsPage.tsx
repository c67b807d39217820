import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Segmented, Tabs } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { HANDLED_STATUSES, useBindingReviews, type HandledStatus } from '../api.ts';
import { HandledReviews } from '../components/HandledReviews.tsx';
import { PmsReviews } from '../components/PmsReviews.tsx';
import { openReviewsTab } from '../components/open-reviews-tab.tsx';
import { ReviewCard } from '../components/ReviewCard.tsx';
import { usePmsReviews } from '../pms-api.ts';

function isHandled(value: string | null): value is HandledStatus {
  return value !== null && (HANDLED_STATUSES as readonly string[]).includes(value);
}

/** 綁定審核: guests whose LINE binding matched several members or conflicting data, for staff to decide. */
export function BindingReviewsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const handledStatus = params.get('status');
  const tab = isHandled(handledStatus) ? 'handled' : 'open';
  // One queue page for both kinds (issue 8): LINE bindings, and matches from the PMS sync (?kind=pms).
  const kind = params.get('kind') === 'pms' ? 'pms' : 'line';
  // Both queues' open cases are asked for: their counts are on the switch, and the page opens on the one with work.
  const open = useBindingReviews('open');
  const pmsOpen = usePmsReviews('open');
  const chosen = params.has('kind') || params.has('status');
  const lineEmpty = open.isSuccess && open.data.length === 0;
  const pmsWaiting = (pmsOpen.data?.length ?? 0) > 0;
  useEffect(() => {
    // Arrived from the menu with no LINE binding to decide but PMS matches waiting: show those, not an empty list.
    if (!chosen && lineEmpty && pmsWaiting) setParams({ kind: 'pms' }, { replace: true });
  }, [chosen, lineEmpty, pmsWaiting, setParams]);

  return (
    <>
      <PageHeader
        title={t('nav.bindingReviews')}
        description={t('bindingReviews.description')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void (kind === 'pms' ? pmsOpen : open).refetch()} loading={(kind === 'pms' ? pmsOpen : open).isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Segmented<'line' | 'pms'>
        value={kind}
        onChange={(value) => setParams(value === 'pms' ? { kind: 'pms' } : {}, { replace: true })}
        options={[
          {
            value: 'line',
            label: (
              <Flex gap={6} align="center">
                {t('pmsReviews.kindLine')}
                <Badge count={open.data?.length ?? 0} showZero={false} size="small" />
              </Flex>
            ),
          },
          {
            value: 'pms',
            label: (
              <Flex gap={6} align="center">
                {t('pmsReviews.kindPms')}
                <Badge count={pmsOpen.data?.length ?? 0} showZero={false} size="small" />
              </Flex>
            ),
          },
        ]}
        style={{ marginBottom: 16 }}
        data-testid="review-kind"
      />
      {kind === 'pms' ? (
        <PmsReviews />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'handled' ? { status: 'linked' } : {}, { replace: true })}
          destroyOnHidden
          items={[
            openReviewsTab({ label: t('bindingReviews.openTab'), query: open, emptyText: t('bindingReviews.openEmpty'), testId: 'binding', card: (review) => <ReviewCard review={review} /> }),
            {
              key: 'handled',
              label: t('bindingReviews.handledTab'),
              children: <HandledReviews status={isHandled(handledStatus) ? handledStatus : 'linked'} onStatusChange={(status) => setParams({ status }, { replace: true })} />,
            },
          ]}
        />
      )}
    </>
  );
}
