import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../components/FormErrorAlert.tsx';
import { useFormError } from '../../lib/use-form-error.ts';
import { useCreateProperty, useUpdateProperty, type Property, type PropertyInput } from './api.ts';

const FIELDS = ['code', 'name', 'address', 'phone'] as const;
export const PROPERTY_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

type Props = { open: boolean; property: Property | undefined; onClose: () => void; onSaved: (property: Property) => void };

/** Add a property, or edit one when `property` is given. */
export function PropertyFormModal({ open, property, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PropertyInput>();
  const create = useCreateProperty();
  const update = useUpdateProperty();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const saving = create.isPending || update.isPending;

  useEffect(() => {
    if (!open) return;
    clearFormError();
    form.setFieldsValue(property ? { code: property.code, name: property.name, address: property.address, phone: property.phone } : { code: '', name: '', address: '', phone: '' });
  }, [open, property, form, clearFormError]);

  const submit = (values: PropertyInput) => {
    clearFormError();
    const options = { onSuccess: onSaved, onError };
    if (property) update.mutate({ id: property.id, ...values }, options);
    else create.mutate(values, options);
  };

  return (
    <Modal
      open={open}
      title={property ? t('properties.editTitle') : t('properties.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
    >
      <Form<PropertyInput> form={form} name="property" layout="vertical" onFinish={submit}>
        <Form.Item
          name="code"
          label={t('properties.code')}
          extra={t('properties.codeHelp')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: PROPERTY_CODE_PATTERN, message: t('properties.codeInvalid') },
          ]}
        >
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="name" label={t('properties.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="address" label={t('properties.address')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="phone" label={t('properties.phone')}>
          <Input maxLength={50} />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
