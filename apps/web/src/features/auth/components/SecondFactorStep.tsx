import { SafetyOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useResendCode, useSecondFactor, type Challenge, type SecondFactorMethod } from '../api.ts';
import { useCountdown } from '../../../lib/use-countdown.ts';

const RESEND_SECONDS = 60;
const FIELDS = ['code'] as const;
type Values = { code: string };

type Props = {
  challenge: Challenge;
  /** True when the code was mailed just now (fresh sign-in), so resending waits a minute. */
  justSent: boolean;
  onSignedIn: () => void;
  /** Back to email and password, with the reason (the pending sign-in ended). */
  onRestart: (notice?: string) => void;
};

export function SecondFactorStep({ challenge, justSent, onSignedIn, onRestart }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [method, setMethod] = useState<SecondFactorMethod>(challenge.method);
  const [emailHint, setEmailHint] = useState(challenge.emailHint);
  const countdown = useCountdown(justSent && challenge.method === 'email' ? RESEND_SECONDS : 0);
  const verify = useSecondFactor();
  const resend = useResendCode();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const hasAuthenticator = challenge.method === 'totp';

  const switchTo = (next: SecondFactorMethod) => {
    form.resetFields();
    clearFormError();
    setMethod(next);
  };

  const sendEmailCode = () =>
    resend.mutate(undefined, {
      onSuccess: (next) => {
        setEmailHint(next.emailHint);
        countdown.restart(RESEND_SECONDS);
        switchTo('email');
        void message.success(t('login.codeSent', { email: next.emailHint }));
      },
      onError: (error) => (isApiError(error) && error.status === 401 ? onRestart(error.message) : void message.error(errorMessageOf(error))),
    });

  const submit = ({ code }: Values) => {
    clearFormError();
    verify.mutate(
      { method, code: code.trim() },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (isApiError(error) && error.code === 'auth.invalid_code') {
            const left = error.numberDetail('attemptsLeft');
            const text = left === undefined ? error.message : `${error.message} ${t('login.attemptsLeft', { count: left })}`;
            form.setFields([{ name: 'code', errors: [text] }]);
            return;
          }
          // Too many wrong codes, or the 10-minute sign-in window closed: the password step starts over.
          if (isApiError(error) && (error.status === 401 || error.code === 'auth.too_many_code_attempts')) {
            onRestart(error.message);
            return;
          }
          onError(error);
        },
      },
    );
  };

  const isRecovery = method === 'recovery';
  return (
    <Form<Values> form={form} name="second-factor" layout="vertical" requiredMark={false} onFinish={submit}>
      <Typography.Paragraph data-testid="second-factor-instructions">
        {method === 'email' ? t('login.emailInstructions', { email: emailHint }) : isRecovery ? t('login.recoveryInstructions') : t('login.totpInstructions')}
      </Typography.Paragraph>
      <Form.Item
        name="code"
        label={isRecovery ? t('login.recoveryCode') : t('login.code')}
        rules={[{ required: true, message: t('validation.codeRequired') }]}
      >
        <Input
          prefix={<SafetyOutlined />}
          size="large"
          autoFocus
          autoComplete="one-time-code"
          inputMode={isRecovery ? 'text' : 'numeric'}
          maxLength={isRecovery ? 20 : 6}
          placeholder={isRecovery ? 'xxxx-xxxx' : '123456'}
        />
      </Form.Item>
      <FormErrorAlert message={formError} />
      <Form.Item style={{ marginBottom: 12 }}>
        <Button type="primary" htmlType="submit" size="large" block loading={verify.isPending}>
          {t('login.verify')}
        </Button>
      </Form.Item>
      <Flex vertical gap={4} align="flex-start">
        {method === 'email' ? (
          <Button type="link" style={{ padding: 0 }} onClick={sendEmailCode} loading={resend.isPending} disabled={countdown.remaining > 0}>
            {countdown.remaining > 0 ? t('login.resendIn', { seconds: countdown.remaining }) : t('login.resend')}
          </Button>
        ) : null}
        {hasAuthenticator && method !== 'email' ? (
          <Button type="link" style={{ padding: 0 }} onClick={sendEmailCode} loading={resend.isPending}>
            {t('login.useEmailCode')}
          </Button>
        ) : null}
        {hasAuthenticator && method !== 'totp' ? (
          <Button type="link" style={{ padding: 0 }} onClick={() => switchTo('totp')}>
            {t('login.useAuthenticator')}
          </Button>
        ) : null}
        {hasAuthenticator && !isRecovery ? (
          <Button type="link" style={{ padding: 0 }} onClick={() => switchTo('recovery')}>
            {t('login.useRecoveryCode')}
          </Button>
        ) : null}
        <Button type="link" style={{ padding: 0 }} onClick={() => onRestart()}>
          {t('login.startOver')}
        </Button>
      </Flex>
    </Form>
  );
}
