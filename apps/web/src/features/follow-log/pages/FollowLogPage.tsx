import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Segmented, Statistic } from 'antd';
import { useMemo } from 'react';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { dayjs } from '../../../lib/datetime.ts';
import { useFollowLog, type DailyCounts, type FriendEventFilter } from '../api.ts';
import { EVENT_COLORS, FollowChart } from '../components/FollowChart.tsx';
import { FollowLogTable } from '../components/FollowLogTable.tsx';
import { daysBetween, useFollowLogFilters } from '../use-follow-log-filters.ts';

const PRESET_DAYS = [7, 30, 90] as const;
const EMPTY: DailyCounts[] = [];

function sum(daily: DailyCounts[], key: keyof Omit<DailyCounts, 'day'>): number {
  return daily.reduce((total, entry) => total + entry[key], 0);
}

/** 封鎖紀錄: who added the Official Account as a friend, unblocked it or blocked it, per day and one by one. */
export function FollowLogPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const timeZone = me.tenant.timezone;
  const { filters, query, setFilters, today } = useFollowLogFilters(timeZone);
  const log = useFollowLog(query);
  const daily = log.data?.daily ?? EMPTY;
  const days = useMemo(() => daysBetween(filters.from, filters.to), [filters.from, filters.to]);
  const totals = { followed: sum(daily, 'followed'), unblocked: sum(daily, 'unblocked'), blocked: sum(daily, 'blocked') };

  // The API pages with `hasMore`; the daily counts cover the same range, so they give the real total for the pager.
  const entries = log.data?.data ?? [];
  const counted = filters.type === 'blocked' ? totals.blocked : filters.type === 'followed' ? totals.followed + totals.unblocked : totals.followed + totals.unblocked + totals.blocked;
  const seen = (filters.page - 1) * filters.pageSize + entries.length + (log.data?.hasMore ? 1 : 0);
  const total = Math.max(counted, seen);

  const todayValue = dayjs(today);
  // Same identity between renders (a new value drops a first day picked but not yet committed: see segments' DateRange).
  const range = useMemo<[Dayjs, Dayjs]>(() => [dayjs(filters.from), dayjs(filters.to)], [filters.from, filters.to]);
  return (
    <>
      <PageHeader title={t('nav.followLog')} description={t('followLog.description', { zone: timeZone })} />
      <Flex vertical gap={16}>
        <Flex gap={8} wrap align="center">
          <DatePicker.RangePicker
            aria-label={t('followLog.dateRange')}
            value={range}
            allowClear={false}
            disabledDate={(date) => date.isAfter(todayValue, 'day')}
            presets={PRESET_DAYS.map((count) => ({ label: t('followLog.lastDays', { count }), value: [todayValue.subtract(count - 1, 'day'), todayValue] }))}
            onChange={(dates) => {
              const [from, to] = dates ?? [];
              if (from && to) setFilters({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') });
            }}
            data-testid="follow-log-range"
          />
          <Segmented<string>
            aria-label={t('followLog.typeFilter')}
            value={filters.type ?? 'all'}
            onChange={(value) => setFilters({ type: value === 'all' ? undefined : (value as FriendEventFilter) })}
            options={[
              { value: 'all', label: t('followLog.filters.all') },
              { value: 'followed', label: t('followLog.filters.followed') },
              { value: 'blocked', label: t('followLog.filters.blocked') },
            ]}
            data-testid="follow-log-type"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void log.refetch()} loading={log.isFetching}>
            {t('common.refresh')}
          </Button>
        </Flex>
        {log.isError ? <QueryErrorAlert error={log.error} onRetry={() => void log.refetch()} /> : null}
        <Card>
          <Flex gap={48} wrap style={{ marginBottom: 8 }} data-testid="follow-log-totals">
            {(['followed', 'unblocked', 'blocked'] as const).map((event) => (
              <Statistic key={event} title={t(`followLog.totals.${event}`)} value={totals[event]} styles={{ content: { color: EVENT_COLORS[event] } }} data-testid={`follow-log-total-${event}`} />
            ))}
          </Flex>
          <FollowChart days={days} daily={daily} />
        </Card>
        <FollowLogTable
          entries={entries}
          loading={log.isFetching}
          page={filters.page}
          pageSize={filters.pageSize}
          total={total}
          timeZone={timeZone}
          onPageChange={(page, pageSize) => setFilters({ page, pageSize })}
        />
      </Flex>
    </>
  );
}
