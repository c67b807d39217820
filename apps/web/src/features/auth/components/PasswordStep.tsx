import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { isApiError } from '../../../lib/api-error.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useLogin, type Challenge } from '../api.ts';

type Values = { email: string; password: string };
const FIELDS = ['email', 'password'] as const;

export function PasswordStep({ initialEmail, onChallenge }: { initialEmail?: string | undefined; onChallenge: (challenge: Challenge, email: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const login = useLogin();
  const { formError, onError, clearFormError, setFormError } = useFormError(form, FIELDS);

  // Locked account or too many attempts from this network: say when to try again.
  const showError = (error: unknown) => {
    const seconds = isApiError(error) ? error.numberDetail('retryAfterSeconds') : undefined;
    if (isApiError(error) && seconds !== undefined) setFormError(`${error.message} ${t('login.retryAfter', { count: Math.max(1, Math.ceil(seconds / 60)) })}`);
    else onError(error);
  };

  const submit = (values: Values) => {
    clearFormError();
    login.mutate(values, { onSuccess: (challenge) => onChallenge(challenge, values.email), onError: showError });
  };

  return (
    <Form<Values> form={form} name="login" layout="vertical" requiredMark={false} onFinish={submit} initialValues={{ email: initialEmail ?? '' }}>
      <Form.Item
        name="email"
        label={t('login.email')}
        rules={[
          { required: true, message: t('validation.emailRequired') },
          { type: 'email', message: t('validation.email') },
        ]}
      >
        <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus={!initialEmail} size="large" />
      </Form.Item>
      <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus={Boolean(initialEmail)} size="large" />
      </Form.Item>
      <FormErrorAlert message={formError} />
      <Form.Item style={{ marginBottom: 12 }}>
        <Button type="primary" htmlType="submit" size="large" block loading={login.isPending}>
          {t('login.submit')}
        </Button>
      </Form.Item>
      <Link to="/forgot-password">{t('login.forgotPassword')}</Link>
    </Form>
  );
}
