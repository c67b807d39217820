import { Alert } from 'antd';

/** The part of a failed submission that belongs to no single field. */
export function FormErrorAlert({ message, onClose }: { message: string | undefined; onClose?: () => void }) {
  if (!message) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={message}
      style={{ marginBottom: 16 }}
      {...(onClose ? { closable: { onClose } } : {})}
    />
  );
}
