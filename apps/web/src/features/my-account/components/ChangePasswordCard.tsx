import { App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { NewPasswordFields } from '../../auth/index.ts';
import { useChangePassword } from '../api.ts';

type Values = { currentPassword: string; newPassword: string; confirm: string };
const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  const submit = ({ currentPassword, newPassword }: Values) => {
    clearFormError();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('myAccount.passwordChanged'));
        },
        onError,
      },
    );
  };

  return (
    <Card title={t('myAccount.changePassword')}>
      <Form<Values> form={form} name="change-password" layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <NewPasswordFields passwordName="newPassword" confirmName="confirm" />
        <FormErrorAlert message={formError} />
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('myAccount.changePasswordSubmit')}
        </Button>
      </Form>
    </Card>
  );
}
