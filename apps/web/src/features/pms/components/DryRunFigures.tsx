import { Card, Col, List, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PmsDryRun } from '../import-api.ts';
import { useCodeLabel } from '../labels.ts';

/** What the import would do, in the hotel's words: guests and stays added or changed, members linked, rows set aside. */
export function DryRunFigures({ result }: { result: PmsDryRun }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const reviewReasons = Object.entries(result.matching.reviewReasons).sort((a, b) => b[1] - a[1]);
  const figure = (title: string, value: number, testId: string, warn = false) => (
    <Col xs={12} md={6}>
      <Statistic title={title} value={value} styles={warn && value > 0 ? { content: { color: '#d48806' } } : undefined} data-testid={testId} />
    </Col>
  );
  return (
    <Card size="small" title={t('pmsImport.dryRun.title')} data-testid="pms-import-dry-run-result">
      <Typography.Paragraph strong data-testid="pms-import-dry-run-summary">
        {t('pmsImport.dryRun.summary', { rows: result.rows, created: result.profiles.created, updated: result.profiles.updated, linked: result.matching.newlyLinked, rejected: result.rejected })}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('pmsImport.dryRun.profiles')}</Typography.Text>
      <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
        {figure(t('pmsImport.dryRun.created'), result.profiles.created, 'dry-run-profiles-created')}
        {figure(t('pmsImport.dryRun.updated'), result.profiles.updated, 'dry-run-profiles-updated')}
        {figure(t('pmsImport.dryRun.unchanged'), result.profiles.unchanged, 'dry-run-profiles-unchanged')}
      </Row>
      <Typography.Text type="secondary">{t('pmsImport.dryRun.stays')}</Typography.Text>
      <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
        {figure(t('pmsImport.dryRun.created'), result.stays.created, 'dry-run-stays-created')}
        {figure(t('pmsImport.dryRun.updated'), result.stays.updated, 'dry-run-stays-updated')}
        {figure(t('pmsImport.dryRun.unchanged'), result.stays.unchanged, 'dry-run-stays-unchanged')}
      </Row>
      <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
        {figure(t('pmsImport.dryRun.linked'), result.matching.newlyLinked, 'dry-run-linked')}
        {figure(t('pmsImport.dryRun.rejected'), result.rejected, 'dry-run-rejected', true)}
      </Row>
      <Typography.Paragraph type="secondary">
        {t('pmsImport.dryRun.afterImport', { matched: result.matching.matched, inReview: result.matching.inReview, unmatched: result.matching.unmatched })}
      </Typography.Paragraph>
      {reviewReasons.length > 0 ? (
        <Typography.Paragraph type="secondary">
          {t('common.labelValue', { label: t('pmsImport.dryRun.reviewReasons'), value: reviewReasons.map(([code, count]) => `${label('reasons', code)} ${count}`).join(t('members.listSeparator')) })}
        </Typography.Paragraph>
      ) : null}
      <List
        size="small"
        header={<Typography.Text strong>{t('pmsImport.dryRun.rejectsTitle')}</Typography.Text>}
        dataSource={result.rejects}
        locale={{ emptyText: t('pmsImport.dryRun.noRejects') }}
        pagination={result.rejects.length > 10 ? { pageSize: 10, size: 'small' } : false}
        data-testid="pms-import-rejects"
        renderItem={(reject) => (
          <List.Item>
            {t('common.labelValue', { label: reject.row !== undefined ? t('pmsImport.dryRun.rejectRow', { row: reject.row, stream: t(`pms.streams.${reject.stream}`) }) : t(`pms.streams.${reject.stream}`), value: label('importRejectReasons', reject.reason) })}
          </List.Item>
        )}
      />
    </Card>
  );
}
