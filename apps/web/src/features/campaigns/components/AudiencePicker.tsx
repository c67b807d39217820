import { ExportOutlined } from '@ant-design/icons';
import { Alert, Descriptions, Flex, Form, Radio, Select, Skeleton, Slider, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import type { Segment } from '../../segments/index.ts';
import { SegmentBuilder } from '../../segments/index.ts';
import type { DraftGroup } from '../../members/index.ts';
import type { Estimate } from '../messages.ts';
import { controlProps, fieldProps, issueProps, type Issues } from './field-issues.ts';

export type AudienceKind = 'all' | 'segment' | 'conditions';

type Props = {
  kind: AudienceKind;
  onKindChange: (kind: AudienceKind) => void;
  segmentId: string | undefined;
  onSegmentChange: (segmentId: string) => void;
  segments: Segment[];
  /** The saved segments are still being read (no "none yet" before they are). */
  segmentsLoading?: boolean;
  conditions: DraftGroup;
  onConditionsChange: (next: DraftGroup) => void;
  holdoutPercent: number;
  onHoldoutChange: (percent: number) => void;
  issues: Issues;
  disabled: boolean;
};

/** Who gets the campaign: all LINE friends, a saved segment, or conditions built here (the segments builder). */
export function AudiencePicker({ kind, onKindChange, segmentId, onSegmentChange, segments, segmentsLoading = false, conditions, onConditionsChange, holdoutPercent, onHoldoutChange, issues, disabled }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <>
      <Form.Item label={t('campaigns.audience.title')}>
        <Radio.Group value={kind} disabled={disabled} onChange={(e) => onKindChange(e.target.value as AudienceKind)} optionType="button" options={(['all', 'segment', 'conditions'] as const).map((value) => ({ value, label: t(`campaigns.audience.kind.${value}`) }))} />
      </Form.Item>
      {kind === 'segment' ? (
        <Form.Item label={t('campaigns.audience.segment')} {...fieldProps(issues, 'audience.segmentId')}>
          <Select
            {...controlProps(issues, 'audience.segmentId')}
            value={segmentId}
            disabled={disabled}
            placeholder={t('campaigns.audience.segmentPlaceholder')}
            showSearch
            optionFilterProp="label"
            onChange={onSegmentChange}
            loading={segmentsLoading}
            options={segments.map((s) => ({ value: s.id, label: s.name }))}
            // No saved segment at all: say where one comes from instead of antd's bare 暫無資料 (browser review); a
            // search that matches none says so.
            notFoundContent={
              segmentsLoading ? undefined : segments.length === 0 ? (
                <Typography.Text type="secondary" data-testid="campaign-segments-empty">
                  {t('campaigns.audience.noSegments')}{' '}
                  {can('members.read') ? (
                    // In another tab: leaving the builder would lose an unsaved draft, and a draft cannot be saved without a segment.
                    <Link to="/segments/new" target="_blank" rel="noopener">
                      {t('campaigns.audience.noSegmentsLink')} <ExportOutlined />
                    </Link>
                  ) : null}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t('campaigns.audience.noSegmentMatch')}</Typography.Text>
              )
            }
            data-testid="campaign-segment"
          />
        </Form.Item>
      ) : null}
      {kind === 'conditions' ? (
        <Form.Item {...issueProps(issues, 'audience.definition')}>
          <div style={disabled ? { pointerEvents: 'none', opacity: 0.7 } : undefined}>
            <SegmentBuilder value={conditions} onChange={onConditionsChange} />
          </div>
        </Form.Item>
      ) : null}
      <Form.Item label={t('campaigns.audience.holdout')} extra={t('campaigns.audience.holdoutHelp')}>
        <Slider min={0} max={50} value={holdoutPercent} disabled={disabled} onChange={onHoldoutChange} marks={{ 0: '0%', 10: '10%', 25: '25%', 50: '50%' }} tooltip={{ formatter: (value) => `${value ?? 0}%` }} />
      </Form.Item>
    </>
  );
}

/** The channel's monthly LINE quota as the estimate read it: what is left, unlimited, or why it is unknown. */
function QuotaText({ quota }: { quota: Estimate['quota'] }) {
  const { t } = useTranslation();
  if (!quota.known) return t(`campaigns.estimate.quotaUnknown.${quota.reason ?? 'line_unreachable'}`);
  const used = (quota.used ?? 0).toLocaleString();
  if (quota.limit === null || quota.remaining === null) return t('campaigns.estimate.quotaUnlimited', { used });
  return t('campaigns.estimate.quotaRemaining', { remaining: quota.remaining.toLocaleString(), limit: quota.limit.toLocaleString(), used });
}

/**
 * Reach and cost: who the audience has, who is skipped and why, the holdout, and LINE's message count. `audienceKind`
 * is the kind the estimate was asked for: 所有 LINE 好友 counts the account's friends, so it has nobody who is not one
 * (no 未加入 LINE 好友 row, and the audience is named LINE 好友 rather than 符合條件的會員). `waiting`: what the audience still
 * needs before there is anything to count (a segment to choose), said instead of figures, which would be the last
 * audience's (browser review: 已儲存的分眾 with none chosen showed all friends' 492 / 7).
 */
export function EstimatePanel({ estimate, error, loading, audienceKind, waiting }: { estimate: Estimate | undefined; error: unknown; loading: boolean; audienceKind: AudienceKind | undefined; waiting?: string | undefined }) {
  const { t } = useTranslation();
  if (waiting) return <Alert type="info" showIcon title={waiting} data-testid="campaign-estimate-waiting" />;
  if (error && !estimate) return <Alert type="warning" showIcon title={t('campaigns.estimate.failed')} description={errorMessageOf(error)} />;
  if (!estimate) return loading ? <Skeleton active paragraph={{ rows: 3 }} /> : null;
  const people = (count: number) => t('campaigns.estimate.people', { n: count.toLocaleString() });
  const friends = audienceKind === 'all';
  return (
    <Flex vertical gap={8} data-testid="campaign-estimate" style={{ opacity: loading ? 0.6 : 1 }}>
      <Descriptions size="small" bordered column={1} title={t('campaigns.estimate.title')}>
        <Descriptions.Item label={t(friends ? 'campaigns.estimate.audienceFriends' : 'campaigns.estimate.audience')}>{people(estimate.audience)}</Descriptions.Item>
        {friends ? null : <Descriptions.Item label={t('campaigns.estimate.noLine')}>− {people(estimate.noLine)}</Descriptions.Item>}
        <Descriptions.Item label={t('campaigns.estimate.blocked')}>− {people(estimate.blocked)}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.estimate.noConsent')}>− {people(estimate.noConsent)}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.estimate.holdout')}>− {people(estimate.holdout)}</Descriptions.Item>
        {estimate.frequencyCapPerWeek ? <Descriptions.Item label={t('campaigns.estimate.capped')}>− {people(estimate.capped)}</Descriptions.Item> : null}
        <Descriptions.Item label={<strong>{t('campaigns.estimate.recipients')}</strong>}>
          <strong data-testid="estimate-recipients">{people(estimate.recipients)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={<strong>{t('campaigns.estimate.messageCost')}</strong>}>
          <strong data-testid="estimate-cost">{estimate.messageCost.toLocaleString()}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.estimate.quota')}>
          <Typography.Text type={estimate.exceedsQuota ? 'danger' : estimate.quota.known ? undefined : 'secondary'} data-testid="estimate-quota">
            <QuotaText quota={estimate.quota} />
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <ExcludedExplanation estimate={estimate} friends={friends} />
      {estimate.exceedsQuota ? <Alert type="warning" showIcon data-testid="estimate-over-quota" title={t('campaigns.estimate.overQuota', { cost: estimate.messageCost.toLocaleString(), remaining: (estimate.quota.remaining ?? 0).toLocaleString() })} /> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('campaigns.estimate.costHelp')} {estimate.personalised ? t('campaigns.estimate.push', { count: estimate.requests }) : t('campaigns.estimate.multicast', { count: estimate.requests })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {estimate.frequencyCapPerWeek ? t('campaigns.estimate.cap', { count: estimate.frequencyCapPerWeek }) : t('campaigns.estimate.noCap')}
        {estimate.quietHours ? ` · ${t('campaigns.estimate.quiet', { start: estimate.quietHours.start, end: estimate.quietHours.end })}` : ''}
      </Typography.Text>
    </Flex>
  );
}

const EXCLUSIONS = ['noLine', 'blocked', 'noConsent', 'capped', 'holdout'] as const;

/**
 * Why guests of the audience would not receive the push, with the numbers, in a sentence: a bare "預計發送 0 人" left
 * staff guessing (in the demo every LINE friend lacked consent). Shown whenever anyone is left out; a warning when
 * nobody would receive it.
 */
function ExcludedExplanation({ estimate, friends }: { estimate: Estimate; friends: boolean }) {
  const { t } = useTranslation();
  const parts = EXCLUSIONS.filter((key) => estimate[key] > 0 && !(friends && key === 'noLine')).map((key) => t(`campaigns.estimate.whyPart.${key}`, { n: estimate[key].toLocaleString() }));
  if (parts.length === 0 || estimate.audience === 0) return null;
  const nobody = estimate.recipients === 0;
  const out = { audience: estimate.audience.toLocaleString(), out: (estimate.audience - estimate.recipients).toLocaleString() };
  const title = friends ? (nobody ? t('campaigns.estimate.nobodyFriends') : t('campaigns.estimate.someFriends', out)) : nobody ? t('campaigns.estimate.nobody') : t('campaigns.estimate.some', out);
  const consentMatters = estimate.noConsent > 0 || estimate.noLine > 0 || estimate.blocked > 0;
  return (
    <Alert
      type={nobody ? 'warning' : 'info'}
      showIcon
      data-testid="estimate-excluded"
      title={title}
      description={
        <>
          <div>{t('campaigns.estimate.why', { reasons: parts.join(t('campaigns.estimate.separator')) })}</div>
          {consentMatters ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.estimate.consentHelp')}</Typography.Text> : null}
        </>
      }
    />
  );
}
