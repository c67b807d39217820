import { Badge, Empty, Flex, Skeleton } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';

type OpenReviews<T> = { data: T[] | undefined; isError: boolean; error: unknown; isPending: boolean; refetch: () => unknown };

/**
 * The 待審核 tab of the queue page, for LINE bindings and PMS matches alike: the count on the tab, then the cases to
 * decide (or why they could not be read, or that there are none). `testId` names the kind: `${testId}-open-count`,
 * `${testId}-open-list`.
 */
export function openReviewsTab<T extends { id: string }>(options: {
  label: string;
  query: OpenReviews<T>;
  emptyText: string;
  testId: string;
  card: (review: T) => ReactNode;
  /** How many wait in all, when the list is one page of them (PMS matches); else the list's length. */
  total?: number | undefined;
  /** Above the cards (filters); below them (the pager). */
  header?: ReactNode;
  footer?: ReactNode;
}) {
  const { query } = options;
  return {
    key: 'open',
    label: (
      <Flex gap={8} align="center">
        {options.label}
        <Badge count={options.total ?? query.data?.length ?? 0} showZero={false} data-testid={`${options.testId}-open-count`} />
      </Flex>
    ),
    children: (
      <Flex vertical gap={16} data-testid={`${options.testId}-open-list`}>
        {options.header}
        {query.isError ? <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
        {query.isPending ? <Skeleton active /> : null}
        {query.data?.length === 0 ? <Empty description={options.emptyText} /> : null}
        {query.data?.map((review) => <Fragment key={review.id}>{options.card(review)}</Fragment>)}
        {options.footer}
      </Flex>
    ),
  };
}
