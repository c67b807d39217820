import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { Card, Col, Descriptions, Empty, Flex, Row, Statistic, Table, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { usePmsReport } from '../api.ts';
import { percent, useCodeLabel } from '../labels.ts';

function ReasonTable({ title, counts, group }: { title: string; counts: Record<string, number>; group: 'reasons' | 'tierNames' }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const data = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => ({ code, count }));
  return (
    <Table
      size="small"
      rowKey="code"
      title={() => <Typography.Text strong>{title}</Typography.Text>}
      dataSource={data}
      pagination={false}
      columns={[
        { dataIndex: 'code', render: (code: string) => label(group, code) },
        { dataIndex: 'count', align: 'right', width: 80 },
      ]}
      showHeader={false}
      locale={{ emptyText: <Typography.Text type="secondary">{t('pms.reportNone')}</Typography.Text> }}
    />
  );
}

/** Which side wins for each field (decision 0010 "Field sync" and push-back), in the hotel's words. */
function FieldRules() {
  const { t } = useTranslation();
  const data = (['stays', 'optOut', 'contact', 'names'] as const).map((key) => ({ key, field: t(`pms.fieldRules.${key}.field`), rule: t(`pms.fieldRules.${key}.rule`) }));
  return (
    <Table
      size="small"
      rowKey="key"
      data-testid="pms-field-rules"
      title={() => <Typography.Text strong>{t('pms.fieldRules.title')}</Typography.Text>}
      dataSource={data}
      pagination={false}
      columns={[
        { dataIndex: 'field', title: t('pms.fieldRules.fieldColumn'), width: 160 },
        { dataIndex: 'rule', title: t('pms.fieldRules.ruleColumn') },
      ]}
    />
  );
}

/** The specification's 成功指標: 會員比對成功率 ≥ 95 % (seed 000; issue 8). */
const RATE_TARGET = 0.95;

/** One figure of the report with what it counts, in one line under it. */
function Figure({ testId, title, value, help, color, strong }: { testId: string; title: ReactNode; value: string | number; help: ReactNode; color?: string; strong?: boolean }) {
  return (
    <Col xs={12} md={8} xl={strong ? 6 : 4} data-testid={`${testId}-figure`}>
      <Statistic title={title} value={value} data-testid={testId} styles={color ? { content: { color } } : undefined} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`${testId}-help`}>
        {help}
      </Typography.Text>
    </Col>
  );
}

/** 會員比對報告: coverage, matched, in review, unmatched with reasons, and the rate the specification asks for. */
export function ReportCard({ connectionId }: { connectionId: string }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const query = usePmsReport(connectionId);
  const report = query.data?.report;
  // The rate's denominator (decision 0010): members with a usable key that some PMS profile holds, less those staff
  // said none of the candidates is.
  const rateBase = report ? report.usableKey - report.noPmsProfile - report.rejectedByStaff : 0;
  const { token } = theme.useToken();
  // What the rate says against the target: met, or what is still open (the cases waiting for staff count as not
  // linked until decided, so the manager learns the reviews, not the matching, stand between the figure and 95 %).
  const rateMet = report?.rate !== null && report?.rate !== undefined && report.rate >= RATE_TARGET;
  const rateNote = !report
    ? null
    : rateMet
      ? t('pms.statsHelp.rateMet', { target: percent(RATE_TARGET) })
      : report.inReview > 0 && rateBase > 0
        ? t('pms.statsHelp.rateReviews', { count: report.inReview, best: percent(Math.min(1, (report.matched + report.inReview) / rateBase)) })
        : null;
  return (
    <Card title={t('pms.report')} loading={query.isPending} data-testid="pms-report" extra={report ? <Typography.Text type="secondary">{t('pms.reportAt', { time: formatInZone(report.at, me.tenant.timezone) })}</Typography.Text> : null}>
      {query.isError ? (
        // A report that could not be read is not "no report yet".
        <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : !report ? (
        <Empty description={t('pms.reportEmpty')} />
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={[16, 16]} data-testid="pms-figures">
            <Figure
              testId="pms-rate"
              title={
                <>
                  {t('pms.stats.rate')} <Typography.Text type="secondary" data-testid="pms-rate-target">{t('pms.stats.rateTarget', { target: percent(RATE_TARGET) })}</Typography.Text>
                </>
              }
              value={percent(report.rate)}
              help={
                <>
                  {t('pms.statsHelp.rate', { matched: report.matched, base: rateBase })}
                  {rateNote ? <span data-testid="pms-rate-note"> {rateNote}</span> : null}
                </>
              }
              color={report.rate === null ? undefined : rateMet ? token.colorSuccess : token.colorPrimary}
              strong
            />
            <Figure testId="pms-rate-all" title={t('pms.stats.rateAll')} value={percent(report.rateAllWithKey)} help={t('pms.statsHelp.rateAll', { matched: report.matched, base: report.usableKey })} />
            <Figure testId="pms-matched" title={t('pms.stats.matched')} value={report.matched} help={t('pms.statsHelp.matched')} />
            <Figure
              testId="pms-in-review"
              title={t('pms.stats.inReview')}
              value={report.inReview}
              help={
                <>
                  {t('pms.statsHelp.inReview')}
                  {query.data && query.data.openReviews > 0 ? (
                    <>
                      {' '}
                      <Link to="/binding-reviews?kind=pms">{t('pms.openReviews', { count: query.data.openReviews })}</Link>
                    </>
                  ) : null}
                </>
              }
            />
            <Figure testId="pms-unmatched" title={t('pms.stats.unmatched')} value={report.unmatched} help={t('pms.statsHelp.unmatched', { never: report.noPmsProfile })} />
          </Row>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'members', label: t('pms.stats.members'), children: report.members },
              { key: 'usable', label: t('pms.stats.usableKey'), children: t('common.withNote', { value: report.usableKey, note: `${t('pms.stats.coverage')} ${percent(report.coverage)}` }) },
              { key: 'none', label: t('pms.stats.noPmsProfile'), children: report.noPmsProfile },
              { key: 'profiles', label: t('pms.stats.profiles'), children: <span data-testid="pms-profiles">{t('pms.stats.profilesValue', { live: report.liveProfiles, all: report.profiles })}</span> },
              { key: 'linked', label: t('pms.stats.linkedProfiles'), children: <span data-testid="pms-linked-profiles">{t('pms.statsHelp.linkedProfiles', { count: report.linkedProfiles, members: report.matched })}</span> },
              { key: 'stays', label: t('pms.stats.stays'), children: t('common.withNote', { value: `${report.staysOnMembers} / ${report.stays}`, note: t('pms.stats.staysOnMembers') }) },
              {
                key: 'fields',
                label: t('pms.stats.fieldSync'),
                children: (
                  <span data-testid="pms-field-sync">
                    {report.fields
                      ? (['optedOut', 'filled', 'takenFromPms', 'keptCrm'] as const)
                          .filter((k) => report.fields![k] > 0)
                          .map((k) => `${t(`pms.fieldSync.${k}`)} ${report.fields![k]}`)
                          .join(t('members.listSeparator')) || '—'
                      : '—'}
                  </span>
                ),
              },
              {
                key: 'push',
                label: t('pms.stats.pushBack'),
                children: (
                  <span data-testid="pms-push-back">
                    {(['pending', 'applied', 'noop', 'conflict', 'change_file', 'rejected'] as const)
                      .filter((status) => (query.data?.pushBack[status] ?? 0) > 0)
                      .map((status) => `${t(`pms.pushStatuses.${status}`)} ${query.data?.pushBack[status]}`)
                      .join(t('members.listSeparator')) || '—'}
                    {(query.data?.pushBack['change_file'] ?? 0) > 0 && can('personal_data.unmasked') ? (
                      <>
                        {' '}
                        <a href={`/api/pms/connections/${encodeURIComponent(connectionId)}/changes.csv`} download>
                          {t('pms.changeFile')}
                        </a>
                      </>
                    ) : null}
                  </span>
                ),
              },
            ]}
          />
          <FieldRules />
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <ReasonTable title={t('pms.tiers')} counts={report.linkedByTier} group="tierNames" />
            </Col>
            <Col xs={24} lg={8}>
              <ReasonTable title={t('pms.reviewReasons')} counts={report.reviewReasons} group="reasons" />
            </Col>
            <Col xs={24} lg={8}>
              <ReasonTable title={t('pms.unmatchedReasons')} counts={report.unmatchedReasons} group="reasons" />
            </Col>
          </Row>
        </Flex>
      )}
    </Card>
  );
}
