import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

export const MIN_PASSWORD_LENGTH = 10;

/** A new password and its confirmation; the server has the final word (length, not the email address). */
type Props = { passwordName: string; confirmName: string; autoFocus?: boolean; size?: 'large' | 'middle' };

export function NewPasswordFields({ passwordName, confirmName, autoFocus = false, size = 'middle' }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name={passwordName}
        label={t('password.new')}
        extra={t('password.rules', { min: MIN_PASSWORD_LENGTH })}
        rules={[
          { required: true, message: t('validation.passwordRequired') },
          { min: MIN_PASSWORD_LENGTH, message: t('password.tooShort', { min: MIN_PASSWORD_LENGTH }) },
        ]}
      >
        <Input.Password autoComplete="new-password" autoFocus={autoFocus} size={size} />
      </Form.Item>
      <Form.Item
        name={confirmName}
        label={t('password.confirm')}
        dependencies={[passwordName]}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) =>
              !value || getFieldValue(passwordName) === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" size={size} />
      </Form.Item>
    </>
  );
}
