import { Alert, Button, Flex, Form, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { LoginLocationState } from '../../../session/location-state.ts';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { isApiError } from '../../../lib/api-error.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useLinkOwner, useSetPassword } from '../api.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';

type Values = { password: string; confirm: string };
const FIELDS = ['password'] as const;

export function SetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<Values>();
  const setPassword = useSetPassword();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const owner = useLinkOwner(token);
  const failed = [owner.error, setPassword.error].find((error) => isApiError(error) && error.code === 'auth.invalid_link');
  const linkError = isApiError(failed) ? failed : undefined;

  if (!token || linkError) {
    return (
      <AuthCard title={t('setPassword.title')}>
        <Result
          status="warning"
          title={t('setPassword.invalidLinkTitle')}
          subTitle={linkError ? linkError.message : t('setPassword.missingToken')}
          extra={[
            <Link key="reset" to="/forgot-password">
              {t('setPassword.requestNewLink')}
            </Link>,
          ]}
        />
      </AuthCard>
    );
  }

  if (owner.isPending) {
    return (
      <AuthCard title={t('setPassword.title')}>
        <Flex justify="center">
          <Spin />
        </Flex>
      </AuthCard>
    );
  }

  const submit = ({ password }: Values) => {
    clearFormError();
    setPassword.mutate(
      { token, password },
      {
        onSuccess: ({ email }) => {
          const state: LoginLocationState = { success: t('setPassword.done'), email };
          void navigate('/login', { replace: true, state });
        },
        onError,
      },
    );
  };

  return (
    <AuthCard title={t('setPassword.title')} description={t('setPassword.description')}>
      {owner.data ? (
        <Alert
          type="info"
          data-testid="set-password-account"
          title={t(owner.data.purpose === 'invitation' ? 'setPassword.forInvitation' : 'setPassword.forReset', { email: owner.data.email, tenant: owner.data.tenantName })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values> form={form} name="set-password" layout="vertical" requiredMark={false} onFinish={submit}>
        {/* Lets a password manager save the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={owner.data?.email ?? ''} readOnly hidden />
        <NewPasswordFields passwordName="password" confirmName="confirm" autoFocus size="large" />
        <FormErrorAlert message={formError} />
        <Form.Item style={{ marginBottom: 12 }}>
          <Button type="primary" htmlType="submit" size="large" block loading={setPassword.isPending}>
            {t('setPassword.submit')}
          </Button>
        </Form.Item>
        <Link to="/login">{t('common.backToLogin')}</Link>
      </Form>
    </AuthCard>
  );
}
