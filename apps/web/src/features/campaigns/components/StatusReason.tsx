import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import type { Campaign } from '../messages.ts';
import { reasonView } from '../status-reason.ts';

/** Why the campaign paused or ended, in the staff's language, with LINE's own words underneath when it refused. */
export function StatusReason({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const view = reasonView(campaign, (iso) => formatInZone(iso, me.tenant.timezone));
  if (!view) return null;
  return (
    <Alert
      type={view.type}
      showIcon
      data-testid="campaign-status-reason"
      data-reason={campaign.statusDetail?.reason}
      title={t(`campaigns.reason.${view.key}`, view.params)}
      data-cause={view.cause ?? undefined}
      description={
        view.cause || view.lineMessage ? (
          <>
            {view.cause ? <div>{t(`campaigns.reason.cause.${view.cause}`)}</div> : null}
            {view.lineMessage ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.reason.line', { message: view.lineMessage })}</Typography.Text> : null}
          </>
        ) : undefined
      }
    />
  );
}
