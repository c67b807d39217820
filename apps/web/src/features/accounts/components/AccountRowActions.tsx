import { EditOutlined, MailOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { App, Button, Flex, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useResendInvitation, useSetAccountStatus, type Account } from '../api/accounts.ts';

/** `changeable`: whether the signed-in account may change this one (the server refuses otherwise, see assignable.ts). */
type Props = { account: Account; isSelf: boolean; changeable: boolean; onEdit: (account: Account) => void };

export function AccountRowActions({ account, isSelf, changeable, onEdit }: Props) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const setStatus = useSetAccountStatus();
  const resend = useResendInvitation();
  const disabling = account.status === 'active';

  const confirmStatus = () =>
    modal.confirm({
      title: disabling ? t('accounts.disableConfirmTitle', { name: account.displayName }) : t('accounts.enableConfirmTitle', { name: account.displayName }),
      content: disabling ? t('accounts.disableConfirmBody') : t('accounts.enableConfirmBody'),
      okText: disabling ? t('accounts.disable') : t('accounts.enable'),
      okButtonProps: { danger: disabling },
      cancelText: t('common.cancel'),
      onOk: () =>
        setStatus
          .mutateAsync({ id: account.id, status: disabling ? 'disabled' : 'active' })
          .then(() => void message.success(disabling ? t('accounts.disabled', { name: account.displayName }) : t('accounts.enabled', { name: account.displayName })))
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const resendInvitation = () =>
    resend.mutate(account.id, {
      onSuccess: () => void message.success(t('accounts.invitationResent', { email: account.email })),
      onError: (error) => void message.error(errorMessageOf(error)),
    });

  if (!isSelf && !changeable) {
    return (
      <Tooltip title={t('accounts.notChangeableHelp')}>
        <span data-testid="account-not-changeable" style={{ color: 'rgba(0, 0, 0, 0.45)', fontSize: 13 }}>
          {t('accounts.notChangeable')}
        </span>
      </Tooltip>
    );
  }

  return (
    <Flex gap={0} wrap>
      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(account)} aria-label={t('accounts.editNamed', { name: account.displayName })}>
        {t('common.edit')}
      </Button>
      {!account.hasPassword && account.status === 'active' ? (
        <Button type="link" size="small" icon={<MailOutlined />} loading={resend.isPending} onClick={resendInvitation}>
          {t('accounts.resendInvitation')}
        </Button>
      ) : null}
      {isSelf ? null : (
        <Button
          type="link"
          size="small"
          danger={disabling}
          icon={disabling ? <StopOutlined /> : <CheckCircleOutlined />}
          onClick={confirmStatus}
          aria-label={disabling ? t('accounts.disableNamed', { name: account.displayName }) : t('accounts.enableNamed', { name: account.displayName })}
        >
          {disabling ? t('accounts.disable') : t('accounts.enable')}
        </Button>
      )}
    </Flex>
  );
}
