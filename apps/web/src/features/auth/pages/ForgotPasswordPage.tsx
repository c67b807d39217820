import { MailOutlined } from '@ant-design/icons';
import { Button, Form, Input, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useRequestPasswordReset } from '../api.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { DemoMailboxHint } from '../components/DemoMailboxHint.tsx';

type Values = { email: string };
const FIELDS = ['email'] as const;

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const reset = useRequestPasswordReset();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  if (reset.isSuccess) {
    return (
      <AuthCard title={t('forgotPassword.title')}>
        <Result
          status="success"
          title={t('forgotPassword.sentTitle')}
          subTitle={t('forgotPassword.sentBody')}
          extra={<Link to="/login">{t('common.backToLogin')}</Link>}
        />
        <DemoMailboxHint />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('forgotPassword.title')} description={t('forgotPassword.description')}>
      <Form<Values>
        form={form}
        name="forgot-password"
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          clearFormError();
          reset.mutate(values, { onError });
        }}
      >
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[
            { required: true, message: t('validation.emailRequired') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <FormErrorAlert message={formError} />
        <Form.Item style={{ marginBottom: 12 }}>
          <Button type="primary" htmlType="submit" size="large" block loading={reset.isPending}>
            {t('forgotPassword.submit')}
          </Button>
        </Form.Item>
        <Link to="/login">{t('common.backToLogin')}</Link>
      </Form>
    </AuthCard>
  );
}
