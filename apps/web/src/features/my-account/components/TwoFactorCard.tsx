import { MailOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { useDisableTotp, useRegenerateRecoveryCodes } from '../api.ts';
import { PasswordConfirmModal } from './PasswordConfirmModal.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { TotpEnrolModal } from './TotpEnrolModal.tsx';

type Dialog = 'enrol' | 'disable' | 'regenerate' | undefined;

export function TwoFactorCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>();
  const [newCodes, setNewCodes] = useState<string[]>();
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const { totpEnabled, recoveryCodesLeft } = me.account;

  return (
    <Card title={t('myAccount.twoFactor.title')}>
      <Flex vertical gap={12} align="flex-start">
        {totpEnabled ? (
          <>
            <Tag color="green" icon={<SafetyCertificateOutlined />}>
              {t('myAccount.twoFactor.totpOn')}
            </Tag>
            <Typography.Paragraph style={{ margin: 0 }}>{t('myAccount.twoFactor.totpOnExplain')}</Typography.Paragraph>
            <Typography.Text type={recoveryCodesLeft <= 3 ? 'warning' : 'secondary'}>{t('myAccount.twoFactor.codesLeft', { count: recoveryCodesLeft })}</Typography.Text>
            <Flex gap={8} wrap>
              <Button onClick={() => setDialog('regenerate')}>{t('myAccount.twoFactor.regenerate')}</Button>
              <Button danger onClick={() => setDialog('disable')}>
                {t('myAccount.twoFactor.disable')}
              </Button>
            </Flex>
          </>
        ) : (
          <>
            <Tag icon={<MailOutlined />}>{t('myAccount.twoFactor.emailOn')}</Tag>
            <Typography.Paragraph style={{ margin: 0 }}>{t('myAccount.twoFactor.emailOnExplain')}</Typography.Paragraph>
            <Button type="primary" onClick={() => setDialog('enrol')}>
              {t('myAccount.twoFactor.enrol')}
            </Button>
          </>
        )}
      </Flex>

      <TotpEnrolModal open={dialog === 'enrol'} onClose={() => setDialog(undefined)} />
      <PasswordConfirmModal
        formName="disable-totp"
        open={dialog === 'disable'}
        title={t('myAccount.twoFactor.disableTitle')}
        description={t('myAccount.twoFactor.disableExplain')}
        okText={t('myAccount.twoFactor.disable')}
        danger
        loading={disable.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={(password) =>
          disable.mutateAsync(password).then(() => {
            setDialog(undefined);
            void message.success(t('myAccount.twoFactor.disabled'));
          })
        }
      />
      <PasswordConfirmModal
        formName="regenerate-recovery-codes"
        open={dialog === 'regenerate'}
        title={t('myAccount.twoFactor.regenerateTitle')}
        description={t('myAccount.twoFactor.regenerateExplain')}
        okText={t('myAccount.twoFactor.regenerate')}
        loading={regenerate.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={(password) =>
          regenerate.mutateAsync(password).then(({ recoveryCodes }) => {
            setDialog(undefined);
            setNewCodes(recoveryCodes);
          })
        }
      />
      <Modal
        open={newCodes !== undefined}
        title={t('myAccount.twoFactor.newCodesTitle')}
        mask={{ closable: false }}
        onCancel={() => setNewCodes(undefined)}
        footer={
          <Button type="primary" onClick={() => setNewCodes(undefined)}>
            {t('myAccount.twoFactor.savedCodes')}
          </Button>
        }
      >
        {newCodes ? <RecoveryCodes codes={newCodes} /> : null}
      </Modal>
    </Card>
  );
}
