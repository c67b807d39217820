import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DailyCounts, FriendEvent } from '../api.ts';
import { EChart, type ChartOption } from './EChart.tsx';

export const EVENT_COLORS: Record<FriendEvent, string> = { followed: '#06c755', unblocked: '#1677ff', blocked: '#ff4d4f' };
const SERIES: readonly FriendEvent[] = ['followed', 'unblocked', 'blocked'];

/** Daily new friends, unblocks and blocks; days without events show as zero, so gaps are real. */
export function FollowChart({ days, daily }: { days: string[]; daily: DailyCounts[] }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const byDay = new Map(daily.map((entry) => [entry.day, entry]));
    return {
      aria: { enabled: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: days.map((day) => day.slice(5)), axisTick: { alignWithLabel: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: SERIES.map((event) => ({
        type: 'bar',
        name: t(`followLog.events.${event}`),
        itemStyle: { color: EVENT_COLORS[event] },
        barMaxWidth: 16,
        data: days.map((day) => byDay.get(day)?.[event] ?? 0),
      })),
    };
  }, [days, daily, t]);
  return <EChart option={option} height={280} ariaLabel={t('followLog.chartLabel')} testId="follow-log-chart" />;
}
