import { LockOutlined, MailOutlined, SafetyOutlined } from '@ant-design/icons';
import { Flex, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone, isFuture } from '../../../lib/datetime.ts';
import type { Account } from '../api/accounts.ts';

export function AccountStatusTags({ account, timeZone }: { account: Account; timeZone: string }) {
  const { t } = useTranslation();
  const locked = account.lockedUntil !== null && isFuture(account.lockedUntil);
  return (
    <Flex gap={4} wrap>
      {account.status === 'active' ? <Tag color="green">{t('accounts.status.active')}</Tag> : <Tag>{t('accounts.status.disabled')}</Tag>}
      {!account.hasPassword && account.status === 'active' ? (
        <Tooltip title={t('accounts.status.invitationPendingHelp')}>
          <Tag color="gold" icon={<MailOutlined />}>
            {t('accounts.status.invitationPending')}
          </Tag>
        </Tooltip>
      ) : null}
      {locked && account.lockedUntil ? (
        <Tag color="red" icon={<LockOutlined />}>
          {t('accounts.status.lockedUntil', { time: formatInZone(account.lockedUntil, timeZone) })}
        </Tag>
      ) : null}
      {account.totpEnabled ? (
        <Tooltip title={t('accounts.status.totpHelp')}>
          <Tag color="blue" icon={<SafetyOutlined />}>
            {t('accounts.status.totp')}
          </Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}
