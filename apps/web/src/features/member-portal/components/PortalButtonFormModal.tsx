import { Form, Input, InputNumber, Modal, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useCreatePortalButton, useUpdatePortalButton } from '../api.ts';
import { BUTTON_LABEL_MAX, type PortalButton, type PortalButtonInput } from '../types.ts';

const FIELDS = ['label', 'imageUrl', 'linkUrl', 'sortOrder', 'enabled'] as const;
const HTTP_URL = /^https?:\/\/\S+$/i;

type Props = { open: boolean; button: PortalButton | undefined; nextSortOrder: number; onClose: () => void; onSaved: (button: PortalButton) => void };

/** Add a custom button to the member area, or edit one. */
export function PortalButtonFormModal({ open, button, nextSortOrder, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PortalButtonInput>();
  const create = useCreatePortalButton();
  const update = useUpdatePortalButton();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);

  useEffect(() => {
    if (!open) return;
    clearFormError();
    form.resetFields();
    form.setFieldsValue(
      button
        ? { label: button.label, imageUrl: button.imageUrl, linkUrl: button.linkUrl, sortOrder: button.sortOrder, enabled: button.enabled }
        : { label: '', imageUrl: '', linkUrl: '', sortOrder: nextSortOrder, enabled: true },
    );
  }, [open, button, nextSortOrder, form, clearFormError]);

  const submit = (values: PortalButtonInput) => {
    clearFormError();
    const input: PortalButtonInput = { ...values, label: values.label.trim(), imageUrl: (values.imageUrl ?? '').trim(), linkUrl: values.linkUrl.trim(), sortOrder: values.sortOrder ?? 0 };
    const options = { onSuccess: onSaved, onError };
    if (button) update.mutate({ id: button.id, ...input }, options);
    else create.mutate(input, options);
  };

  return (
    <Modal
      open={open}
      title={button ? t('memberPortal.buttons.editTitle') : t('memberPortal.buttons.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      forceRender
    >
      <Form<PortalButtonInput> form={form} name="portal-button" layout="vertical" onFinish={submit}>
        <Form.Item name="label" label={t('memberPortal.buttons.label')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={BUTTON_LABEL_MAX} showCount />
        </Form.Item>
        <Form.Item name="linkUrl" label={t('memberPortal.buttons.linkUrl')} extra={t('memberPortal.buttons.linkHelp')} rules={[{ required: true, message: t('validation.required') }, { pattern: HTTP_URL, message: t('memberPortal.invalidUrl') }]}>
          <Input maxLength={500} placeholder="https://" inputMode="url" />
        </Form.Item>
        <Form.Item name="imageUrl" label={t('memberPortal.buttons.imageUrl')} extra={t('memberPortal.buttons.imageHelp')} rules={[{ type: 'url', message: t('memberPortal.invalidUrl') }]}>
          <Input maxLength={500} placeholder="https://" inputMode="url" />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('memberPortal.buttons.sortOrder')} extra={t('memberPortal.buttons.sortHelp')}>
          <InputNumber min={0} max={1000} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="enabled" label={t('memberPortal.buttons.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
