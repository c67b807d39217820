import { Button, Card, Empty, Flex, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import type { Property } from '../../properties/index.ts';
import { timelineEntries, useMemberTimeline } from '../../members/index.ts';
import { useTimelineText } from '../timeline-text.tsx';

/** Everything that happened to the member, newest first, an older page at a time. */
export function TimelineCard({ memberId, properties, timeZone }: { memberId: string; properties: Property[]; timeZone: string }) {
  const { t } = useTranslation();
  const timeline = useMemberTimeline(memberId);
  const describe = useTimelineText((id) => properties.find((property) => property.id === id)?.name ?? '—');
  const entries = timelineEntries(timeline.data?.pages);

  const content = () => {
    if (timeline.isError && entries.length === 0) return <QueryErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />;
    if (timeline.isPending) return <Skeleton active />;
    if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.timeline.empty')} />;
    return (
      <Timeline
        data-testid="member-timeline"
        items={entries.map((entry) => {
          const line = describe(entry);
          return {
            key: entry.id,
            icon: line.icon,
            color: line.color,
            content: (
              <Flex vertical gap={2} data-type={entry.type}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatInZone(entry.occurredAt, timeZone)}
                  {line.actor ? ` · ${line.actor}` : ''}
                </Typography.Text>
                <Typography.Text>{line.text}</Typography.Text>
                {line.quote ? (
                  <Typography.Paragraph
                    ellipsis={{ rows: 3, expandable: 'collapsible', symbol: (expanded) => (expanded ? t('members.timeline.less') : t('members.timeline.more')) }}
                    style={{ margin: 0, paddingInlineStart: 8, borderInlineStart: '3px solid rgba(0,0,0,0.12)', whiteSpace: 'pre-wrap' }}
                  >
                    {line.quote}
                  </Typography.Paragraph>
                ) : null}
                {line.detail ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                    {line.detail}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          };
        })}
      />
    );
  };

  return (
    <Card title={t('members.timeline.title')}>
      {content()}
      {timeline.isError && entries.length > 0 ? <QueryErrorAlert error={timeline.error} onRetry={() => void timeline.fetchNextPage()} /> : null}
      {timeline.hasNextPage ? (
        <Flex justify="center">
          <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>
            {t('members.timeline.loadMore')}
          </Button>
        </Flex>
      ) : entries.length > 0 ? (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', margin: 0 }}>
          {t('members.timeline.end')}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
