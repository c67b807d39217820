import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';

type Values = { password: string };
const FIELDS = ['password'] as const;

type Props = {
  /** Unique per page: antd forms are told apart by name. */
  formName: string;
  open: boolean;
  title: string;
  description: string;
  okText: string;
  danger?: boolean;
  loading: boolean;
  onCancel: () => void;
  /** Rejects with the API error so it can be shown on the password field. */
  onConfirm: (password: string) => Promise<unknown>;
};

/** Sensitive changes ask for the password again. */
export function PasswordConfirmModal({ formName, open, title, description, okText, danger = false, loading, onCancel, onConfirm }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    clearFormError();
  }, [open, form, clearFormError]);

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger }}
      cancelText={t('common.cancel')}
      confirmLoading={loading}
      onOk={() => form.submit()}
      onCancel={onCancel}
      forceRender
    >
      <p>{description}</p>
      <Form<Values>
        form={form}
        name={formName}
        layout="vertical"
        onFinish={({ password }) => {
          clearFormError();
          onConfirm(password).catch(onError);
        }}
      >
        <Form.Item name="password" label={t('password.current')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
