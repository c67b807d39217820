import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Divider, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { PROPERTY_CODE_PATTERN } from '../../properties/index.ts';
import { useCreateTenant, type CreateTenantInput, type Tenant } from '../api.ts';

type Values = Required<CreateTenantInput>;
const FIELDS = ['name', 'slug', 'timezone', 'properties', 'administrator'] as const;
const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
const DEFAULT_ZONE = 'Asia/Taipei';

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [DEFAULT_ZONE];
  }
}

export function CreateTenantModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (tenant: Tenant, adminEmail: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateTenant();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const zones = useMemo(() => timeZones().map((zone) => ({ value: zone, label: zone })), []);

  useEffect(() => {
    if (!open) return;
    clearFormError();
    form.resetFields();
    form.setFieldsValue({ timezone: DEFAULT_ZONE, properties: [{ code: '', name: '' }] });
  }, [open, form, clearFormError]);

  const submit = (values: Values) => {
    clearFormError();
    create.mutate(values, { onSuccess: (tenant) => onCreated(tenant, values.administrator.email), onError });
  };

  return (
    <Modal
      open={open}
      title={t('tenants.createTitle')}
      okText={t('tenants.createSubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={680}
      forceRender
    >
      <Form<Values> form={form} name="tenant" layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('tenants.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item
            name="slug"
            label={t('tenants.slug')}
            extra={t('tenants.slugHelp')}
            style={{ flex: 1, minWidth: 220 }}
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: SLUG_PATTERN, message: t('tenants.slugInvalid') },
            ]}
          >
            <Input maxLength={63} />
          </Form.Item>
          <Form.Item name="timezone" label={t('tenants.timezone')} style={{ flex: 1, minWidth: 220 }}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
          </Form.Item>
        </Flex>

        <Divider titlePlacement="start">{t('tenants.properties')}</Divider>
        <Form.List
          name="properties"
          rules={[{ validator: async (_rule, value: unknown[] | undefined) => ((value?.length ?? 0) > 0 ? undefined : Promise.reject(new Error(t('tenants.propertiesRequired')))) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="flex-start">
                  <Form.Item
                    name={[field.name, 'code']}
                    label={index === 0 ? t('properties.code') : undefined}
                    style={{ width: 160 }}
                    rules={[
                      { required: true, message: t('validation.required') },
                      { pattern: PROPERTY_CODE_PATTERN, message: t('properties.codeInvalid') },
                    ]}
                  >
                    <Input maxLength={32} placeholder={t('tenants.propertyCodePlaceholder')} aria-label={t('tenants.propertyCodeN', { n: index + 1 })} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'name']}
                    label={index === 0 ? t('properties.name') : undefined}
                    style={{ flex: 1 }}
                    rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
                  >
                    <Input maxLength={200} placeholder={t('tenants.propertyNamePlaceholder')} aria-label={t('tenants.propertyNameN', { n: index + 1 })} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    disabled={fields.length === 1}
                    aria-label={t('tenants.removeProperty', { n: index + 1 })}
                    style={{ marginTop: index === 0 ? 30 : 0 }}
                  />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', name: '' })} disabled={fields.length >= 50}>
                {t('tenants.addProperty')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('tenants.administrator')}</Divider>
        <Alert role="note" type="info" showIcon title={t('tenants.administratorExplain')} style={{ marginBottom: 16 }} />
        <Flex gap={16} wrap>
          <Form.Item
            name={['administrator', 'email']}
            label={t('tenants.adminEmail')}
            style={{ flex: 1, minWidth: 220 }}
            rules={[
              { required: true, message: t('validation.emailRequired') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['administrator', 'displayName']}
            label={t('tenants.adminName')}
            style={{ flex: 1, minWidth: 220 }}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Flex>
        <Typography.Text type="secondary">{t('tenants.createNote')}</Typography.Text>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
