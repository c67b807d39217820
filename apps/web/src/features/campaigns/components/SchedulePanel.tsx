import { CalendarOutlined, SendOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Flex, Form, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { useCampaignTransition, type ScheduleRequest } from '../api.ts';
import type { Campaign, Estimate } from '../messages.ts';
import { approvalOf, personOf, wentOut } from '../status-reason.ts';
import { SendProgress } from './SendProgress.tsx';
import { StatusReason } from './StatusReason.tsx';
import { inQuietHours } from '../quiet-hours.ts';
import { fieldId, helpId } from './field-issues.ts';

type Props = { campaign: Campaign; dirty: boolean; estimate: Estimate | undefined };

/** How far ahead a send may be scheduled (the server's limit too: a year). */
const MAX_DAYS_AHEAD = 365;
const SEND_AT_ID = fieldId('sendAt');

/** Days the picker offers: from today (hotel time) to the campaign's end date, at most a year ahead. */
function dayOutsideWindow(day: Dayjs, timezone: string, endsOn: string | null): boolean {
  const today = dayjs().tz(timezone);
  const date = day.format('YYYY-MM-DD');
  return date < today.format('YYYY-MM-DD') || (endsOn !== null && date > endsOn) || date > today.add(MAX_DAYS_AHEAD, 'day').format('YYYY-MM-DD');
}

/** Why the server would refuse this hotel-local send time (the same rules), or undefined. */
function sendAtIssue(local: string, timezone: string, endsOn: string | null): 'pastTime' | 'afterPeriod' | 'tooFar' | undefined {
  const now = dayjs().tz(timezone);
  if (local < now.format('YYYY-MM-DDTHH:mm')) return 'pastTime';
  if (endsOn !== null && local.slice(0, 10) > endsOn) return 'afterPeriod';
  if (local > now.add(MAX_DAYS_AHEAD, 'day').format('YYYY-MM-DDTHH:mm')) return 'tooFar';
  return undefined;
}

/**
 * Approve-then-send: an account with the push permission approves the version on screen for a time in the hotel's
 * time zone (or now); a scheduled campaign can be withdrawn to draft or cancelled. Anyone else sees why it waits.
 */
export function SchedulePanel({ campaign, dirty, estimate }: Props) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { modal, message } = App.useApp();
  const { schedule, unschedule, cancel } = useCampaignTransition();
  const timezone = me.tenant.timezone;
  // Named by the accounts' names; an account no longer the hotel group's is said to be removed, not left blank.
  const gone = t('campaigns.schedule.removedAccount');
  const approval = approvalOf(campaign, (iso) => formatInZone(iso, timezone), gone);
  const createdBy = personOf(campaign.createdBy, campaign.createdByName, gone);
  const [sendAt, setSendAt] = useState<Dayjs | null>(null);

  const quotaLine = (e: Estimate | undefined) => {
    if (!e) return '—';
    if (!e.quota.known) return t(`campaigns.schedule.quotaUnknown.${e.quota.reason ?? 'line_unreachable'}`);
    if (e.quota.limit === null) return t('campaigns.schedule.quotaUnlimited', { used: (e.quota.used ?? 0).toLocaleString() });
    return t('campaigns.schedule.quota', { remaining: (e.quota.remaining ?? 0).toLocaleString(), limit: e.quota.limit.toLocaleString(), used: (e.quota.used ?? 0).toLocaleString() });
  };

  const local = sendAt?.format('YYYY-MM-DDTHH:mm');
  const issue = local ? sendAtIssue(local, timezone, campaign.endsOn) : undefined;
  // Approving without a time says so at the field, with the days it may take (browser review: a typed day outside them
  // is dropped by the picker, and a toast alone did not say why). A period already over offers no day at all.
  const [timeAsked, setTimeAsked] = useState(false);
  const today = dayjs().tz(timezone).format('YYYY-MM-DD');
  const periodOver = campaign.endsOn !== null && campaign.endsOn < today;
  const lastDay = [campaign.endsOn, dayjs().tz(timezone).add(MAX_DAYS_AHEAD, 'day').format('YYYY-MM-DD')].filter((d): d is string => d !== null).sort()[0]!;
  const missingText = periodOver ? t('campaigns.schedule.periodOver', { endsOn: campaign.endsOn }) : t('campaigns.schedule.pickTimeWithin', { first: today, last: lastDay });
  const issueText = issue ? t(`campaigns.schedule.${issue}`, { endsOn: campaign.endsOn }) : (timeAsked && !sendAt) || periodOver ? missingText : undefined;
  // A marketing push waits out the hotel's quiet hours: the approver is told when it will really start.
  const quietNote = (when: 'at' | 'now') => {
    const hhmm = when === 'now' ? dayjs().tz(timezone).format('HH:mm') : sendAt?.format('HH:mm');
    const quiet = estimate?.quietHours;
    return hhmm && quiet && inQuietHours(hhmm, quiet) ? t('campaigns.schedule.quietHeld', { start: quiet.start, end: quiet.end }) : undefined;
  };

  const approve = (when: 'at' | 'now') => {
    if (when === 'at' && !sendAt) {
      setTimeAsked(true);
      document.getElementById(SEND_AT_ID)?.focus();
      return;
    }
    // The server refuses these times too; the picker says why (below it) and the approval waits for a valid time.
    if (when === 'at' && issueText) {
      void message.warning(issueText);
      return;
    }
    // Over the channel's remaining monthly quota the approver confirms explicitly (the server refuses otherwise).
    const overQuota = estimate?.exceedsQuota === true;
    const confirm = overQuota ? { confirmOverQuota: true as const } : {};
    modal.confirm({
      title: t('campaigns.schedule.confirmTitle', { name: campaign.name }),
      content: (
        <>
          <Typography.Paragraph>{when === 'now'
              ? t('campaigns.schedule.confirmBodyNow', { recipients: estimate?.recipients.toLocaleString() ?? '—', cost: estimate?.messageCost.toLocaleString() ?? '—' })
              : t('campaigns.schedule.confirmBody', { when: `${sendAt!.format('YYYY-MM-DD HH:mm')} (${timezone})`, recipients: estimate?.recipients.toLocaleString() ?? '—', cost: estimate?.messageCost.toLocaleString() ?? '—' })}</Typography.Paragraph>
          <Typography.Paragraph>{quotaLine(estimate)}</Typography.Paragraph>
          {quietNote(when) && <Alert type="info" showIcon message={quietNote(when)} style={{ marginBottom: 8 }} />}
          {overQuota && <Alert type="warning" showIcon message={t('campaigns.schedule.overQuota', { cost: estimate.messageCost.toLocaleString(), remaining: (estimate.quota.remaining ?? 0).toLocaleString() })} />}
        </>
      ),
      okButtonProps: overQuota ? { danger: true } : {},
      okText: overQuota ? t('campaigns.schedule.confirmOverQuota') : when === 'now' ? t('campaigns.schedule.approveAndSendNow') : t('campaigns.schedule.approveAndSchedule'),
      cancelText: t('common.cancel'),
      onOk: () => send(when === 'now' ? { id: campaign.id, version: campaign.version, now: true, ...confirm } : { id: campaign.id, version: campaign.version, sendAt: local!, ...confirm }),
    });
  };

  const send = (request: ScheduleRequest): Promise<void> =>
    schedule
      .mutateAsync(request)
      .then(() => void message.success(t('now' in request ? 'campaigns.schedule.sendingNowOk' : 'campaigns.schedule.scheduledOk')))
      .catch((error: unknown) => {
        // The quota moved since the estimate on screen (another send, a new month): the server names the figures and
        // the approver decides again, explicitly.
        if (isApiError(error) && error.code === 'campaign.over_quota' && !request.confirmOverQuota) {
          modal.confirm({
            title: t('campaigns.schedule.overQuotaTitle'),
            content: error.message,
            okButtonProps: { danger: true },
            okText: t('campaigns.schedule.confirmOverQuota'),
            cancelText: t('common.cancel'),
            onOk: () => send({ ...request, confirmOverQuota: true }),
          });
          return;
        }
        void message.error(errorMessageOf(error));
      });

  const confirmCancel = () =>
    modal.confirm({
      title: t('campaigns.schedule.cancelConfirm', { name: campaign.name }),
      okButtonProps: { danger: true },
      okText: t('campaigns.schedule.cancel'),
      // Not 取消 beside 取消活動: the two would read alike.
      cancelText: t('common.back'),
      onOk: () =>
        cancel
          .mutateAsync(campaign.id)
          .then(() => void message.success(t('campaigns.schedule.cancelled')))
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const withdraw = () =>
    unschedule
      .mutateAsync(campaign.id)
      .then(() => void message.success(t('campaigns.schedule.unscheduled')))
      .catch((error: unknown) => void message.error(errorMessageOf(error)));

  return (
    <Flex vertical gap={12} data-testid="schedule-panel">
      {campaign.status === 'scheduled' && campaign.scheduledAt ? (
        <Alert
          type="success"
          showIcon
          icon={<CalendarOutlined />}
          title={t('campaigns.schedule.scheduled', { when: formatInZone(campaign.scheduledAt, timezone), timezone })}
          description={approval ? <span data-testid="campaign-approved-by">{t('campaigns.schedule.approvedBy', approval)}</span> : undefined}
        />
      ) : null}
      {/* Once it went out, the page says when, and who approved it when, as the list's 發送時間 does. */}
      {wentOut(campaign) ? (
        <Typography.Text type="secondary" data-testid="campaign-sent-at">
          {approval
            ? t('campaigns.schedule.sentAt', { when: formatInZone(campaign.scheduledAt!, timezone), timezone, by: approval.by, approvedAt: approval.at })
            : t('campaigns.schedule.sentAtUnapproved', { when: formatInZone(campaign.scheduledAt!, timezone), timezone })}
        </Typography.Text>
      ) : null}
      {/* Cancelled before it went out: when it was to go, and who had approved it (browser review: a cancelled
          campaign's page lost both). */}
      {campaign.status === 'cancelled' && campaign.scheduledAt && approval && !wentOut(campaign) ? (
        <Typography.Text type="secondary" data-testid="campaign-was-scheduled">
          {t('campaigns.schedule.wasScheduled', { when: formatInZone(campaign.scheduledAt, timezone), timezone, by: approval.by, approvedAt: approval.at })}
        </Typography.Text>
      ) : null}
      {/* Who wrote it, and when: the approver of a draft knows whom to ask. */}
      {createdBy !== null ? (
        <Typography.Text type="secondary" data-testid="campaign-created-by">
          {t('campaigns.schedule.createdBy', { by: createdBy, at: formatInZone(campaign.createdAt, timezone) })}
        </Typography.Text>
      ) : null}
      <StatusReason campaign={campaign} />
      <SendProgress campaign={campaign} />
      {campaign.status === 'draft' && !campaign.may.schedule ? <Alert type="info" showIcon title={t('campaigns.schedule.noPermission')} /> : null}
      {campaign.status === 'draft' && campaign.may.schedule ? (
        dirty ? (
          <Alert type="warning" showIcon title={t('campaigns.schedule.needsSave')} />
        ) : (
          <Form layout="vertical" component="div">
            <Form.Item
              label={t('campaigns.schedule.sendAt', { timezone })}
              htmlFor={SEND_AT_ID}
              validateStatus={issueText ? 'error' : quietNote('at') ? 'warning' : undefined}
              help={issueText ?? quietNote('at') ? <span id={helpId(SEND_AT_ID)}>{issueText ?? quietNote('at')}</span> : undefined}
              data-testid="schedule-send-at-item"
            >
              {/* Named by its label, not its placeholder only (browser review); its issue or quiet-hours note describes it. */}
              <DatePicker
                id={SEND_AT_ID}
                aria-invalid={issueText ? true : undefined}
                aria-describedby={issueText ?? quietNote('at') ? helpId(SEND_AT_ID) : undefined}
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                // It takes a day and a time: antd's own placeholder asked for a date only (browser review).
                placeholder={t('campaigns.schedule.sendAtPlaceholder')}
                value={sendAt}
                onChange={(value) => {
                  setSendAt(value);
                  setTimeAsked(false);
                }}
                disabledDate={(day) => dayOutsideWindow(day, timezone, campaign.endsOn)}
                style={{ width: 220 }}
                data-testid="schedule-send-at"
              />
            </Form.Item>
            <Flex gap={8} wrap>
              {/* The approval shows whom it reaches and what it costs: it waits for the estimate (not "約 — 人"). */}
              <Button type="primary" icon={<CalendarOutlined />} loading={schedule.isPending} disabled={!estimate} onClick={() => approve('at')}>
                {t('campaigns.schedule.approveAndSchedule')}
              </Button>
              <Button icon={<SendOutlined />} loading={schedule.isPending} disabled={!estimate} onClick={() => approve('now')}>
                {t('campaigns.schedule.approveAndSendNow')}
              </Button>
            </Flex>
            {!estimate ? <Typography.Text type="secondary">{t('campaigns.schedule.estimating')}</Typography.Text> : null}
          </Form>
        )
      ) : null}
      <Flex gap={8} wrap>
        {campaign.may.unschedule ? (
          <Button icon={<UndoOutlined />} loading={unschedule.isPending} onClick={() => void withdraw()}>
            {t('campaigns.schedule.unschedule')}
          </Button>
        ) : null}
        {campaign.may.cancel ? (
          <Button danger icon={<StopOutlined />} loading={cancel.isPending} onClick={confirmCancel}>
            {t('campaigns.schedule.cancel')}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}
