import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Segmented, Skeleton, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { HANDLED_STATUSES, useBindingReviews, type HandledStatus } from '../api.ts';
import { HandledReviews } from '../components/HandledReviews.tsx';
import { PmsReviews } from '../components/PmsReviews.tsx';
import { openReviewsTab } from '../components/open-reviews-tab.tsx';
import { ReviewCard } from '../components/ReviewCard.tsx';
import { usePmsReviews } from '../pms-api.ts';
import { openingKind, shownKind, type ReviewKind } from '../review-kind.ts';

function isHandled(value: string | null): value is HandledStatus {
  return value !== null && (HANDLED_STATUSES as readonly string[]).includes(value);
}

/** A queue's name on the switch, with how many cases wait in it. */
function kindLabel(label: string, waiting: number | undefined) {
  return (
    <Flex gap={6} align="center">
      {label}
      <Badge count={waiting ?? 0} showZero={false} size="small" />
    </Flex>
  );
}

/** 綁定審核: guests whose LINE binding matched several members or conflicting data, for staff to decide. */
export function BindingReviewsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const handledStatus = params.get('status');
  const tab = isHandled(handledStatus) ? 'handled' : 'open';
  // One queue page for both kinds (issue 8): LINE bindings, and matches from the PMS sync (?kind=pms).
  // Both queues' open cases are asked for: their counts are on the switch, and the page opens on the one with work.
  const open = useBindingReviews('open');
  const pmsOpen = usePmsReviews({ status: 'open' });
  // The opening queue is decided once, from the first answers (review-kind.ts), and kept: computed while rendering,
  // so the page never shows one queue and then jumps to the other, and never takes staff off the one they chose.
  const [opening, setOpening] = useState<ReviewKind | undefined>(undefined);
  const firstAnswers = openingKind(open, { isFetched: pmsOpen.isFetched, data: pmsOpen.data?.data });
  if (opening === undefined && firstAnswers !== undefined) setOpening(firstAnswers);
  const address = { kind: params.get('kind'), status: handledStatus };
  const kind = shownKind(address, opening ?? firstAnswers);
  const opensOnPms = address.kind === null && address.status === null && kind === 'pms';
  useEffect(() => {
    // Only writes down in the address what is already shown (a reload or a copied link opens the same queue).
    if (opensOnPms) setParams({ kind: 'pms' }, { replace: true });
  }, [opensOnPms, setParams]);
  const query = kind === 'pms' ? pmsOpen : open;

  return (
    <>
      <PageHeader
        title={t('nav.bindingReviews')}
        description={t('bindingReviews.description')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      {kind === undefined ? (
        <Skeleton active />
      ) : (
        <Segmented<ReviewKind>
          value={kind}
          // The choice goes into the address, where it outranks the opening queue.
          onChange={(value) => setParams({ kind: value }, { replace: true })}
          options={[
            { value: 'line', label: kindLabel(t('pmsReviews.kindLine'), open.data?.length) },
            { value: 'pms', label: kindLabel(t('pmsReviews.kindPms'), pmsOpen.data?.total) },
          ]}
          style={{ marginBottom: 16 }}
          data-testid="review-kind"
        />
      )}
      {kind === undefined ? null : kind === 'pms' ? (
        <PmsReviews />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'handled' ? { status: 'linked' } : { kind: 'line' }, { replace: true })}
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
