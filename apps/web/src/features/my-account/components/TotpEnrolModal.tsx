import { Alert, Button, Flex, Form, Image, Input, Modal, Skeleton, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useConfirmTotp, useStartTotp } from '../api.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';

type Values = { code: string };
const FIELDS = ['code'] as const;

/** Scan the QR code (or type the secret), confirm with a first code, then keep the recovery codes. */
export function TotpEnrolModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const [codes, setCodes] = useState<string[]>();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const { mutate: startEnrolment, reset: resetStart } = start;

  useEffect(() => {
    if (!open) return;
    setCodes(undefined);
    form.resetFields();
    clearFormError();
    resetStart();
    startEnrolment();
  }, [open, startEnrolment, resetStart, form, clearFormError]);

  const submit = ({ code }: Values) => {
    clearFormError();
    confirm.mutate(code.trim(), { onSuccess: ({ recoveryCodes }) => setCodes(recoveryCodes), onError });
  };

  const setup = start.data;
  return (
    <Modal
      open={open}
      title={t('myAccount.twoFactor.enrolTitle')}
      onCancel={onClose}
      mask={{ closable: false }}
      width={600}
      forceRender
      footer={
        codes ? (
          <Button type="primary" onClick={onClose}>
            {t('myAccount.twoFactor.savedCodes')}
          </Button>
        ) : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={() => form.submit()} loading={confirm.isPending} disabled={!setup}>
              {t('myAccount.twoFactor.confirm')}
            </Button>
          </Flex>
        )
      }
    >
      <Steps
        size="small"
        current={codes ? 1 : 0}
        style={{ marginBottom: 16 }}
        items={[{ title: t('myAccount.twoFactor.stepScan') }, { title: t('myAccount.twoFactor.stepSave') }]}
      />
      {codes ? (
        <RecoveryCodes codes={codes} />
      ) : (
        <>
          {start.isError ? <QueryErrorAlert error={start.error} onRetry={() => startEnrolment()} /> : null}
          {start.isPending ? <Skeleton active /> : null}
          {setup ? (
            <Flex gap={24} wrap align="flex-start">
              <Image src={setup.qrCodeDataUrl} alt={t('myAccount.twoFactor.qrAlt')} width={180} height={180} preview={false} />
              <Flex vertical gap={8} style={{ flex: 1, minWidth: 240 }}>
                <Typography.Paragraph style={{ margin: 0 }}>{t('myAccount.twoFactor.scanInstructions')}</Typography.Paragraph>
                <Typography.Text type="secondary">{t('myAccount.twoFactor.manualEntry')}</Typography.Text>
                <Typography.Text code copyable data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
                  {setup.secret}
                </Typography.Text>
              </Flex>
            </Flex>
          ) : null}
          <Form<Values> form={form} name="totp-confirm" layout="vertical" onFinish={submit} style={{ marginTop: 16 }}>
            <Form.Item
              name="code"
              label={t('myAccount.twoFactor.codeLabel')}
              rules={[
                { required: true, message: t('validation.codeRequired') },
                { pattern: /^\s*\d{6}\s*$/, message: t('validation.sixDigits') },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ maxWidth: 200 }} disabled={!setup} />
            </Form.Item>
            <FormErrorAlert message={formError} />
          </Form>
          <Alert role="note" type="info" showIcon title={t('myAccount.twoFactor.enrolNote')} />
        </>
      )}
    </Modal>
  );
}
