import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { useProperties } from '../../properties/index.ts';
import { useCreateChannel, useUpdateChannel, type ChannelInput, type LineChannel } from '../api.ts';

const FIELDS = ['name', 'propertyId', 'channelId', 'channelSecret', 'accessToken', 'loginChannelId', 'liffId', 'welcomeMessage'] as const;

/** The same rules as the server (line.schemas.ts), so most mistakes show before sending. */
const DIGITS = /^\s*\d{6,20}\s*$/;
const SECRET = /^\s*[0-9a-f]{32}\s*$/;
const LIFF_ID = /^\s*\d{6,20}-[A-Za-z0-9]{4,20}\s*$/;
const WELCOME_MAX = 400;
/** The select needs a value for "the whole hotel group" (propertyId null). */
const TENANT_WIDE = 'tenant-wide';

type Values = {
  name: string;
  propertyId: string;
  channelId: string;
  channelSecret: string;
  accessToken: string;
  loginChannelId: string;
  liffId: string;
  welcomeMessage: string;
};

type Props = { open: boolean; channel: LineChannel | undefined; onClose: () => void; onSaved: (channel: LineChannel) => void };

const optional = (value: string) => (value.trim() === '' ? null : value.trim());

/** Connect a LINE Official Account, or edit one (`channel` given): secret and token stay as they are unless typed again. */
export function ChannelFormModal({ open, channel, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const properties = useProperties({ enabled: open });
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const editing = channel !== undefined;

  useEffect(() => {
    if (!open) return;
    clearFormError();
    form.resetFields();
    form.setFieldsValue(
      channel
        ? {
            name: channel.name,
            propertyId: channel.propertyId ?? TENANT_WIDE,
            channelId: channel.channelId,
            channelSecret: '',
            accessToken: '',
            loginChannelId: channel.loginChannelId ?? '',
            liffId: channel.liffId ?? '',
            welcomeMessage: channel.welcomeMessage,
          }
        : { name: '', propertyId: TENANT_WIDE, channelId: '', channelSecret: '', accessToken: '', loginChannelId: '', liffId: '', welcomeMessage: '' },
    );
  }, [open, channel, form, clearFormError]);

  const submit = (values: Values) => {
    clearFormError();
    const common = {
      name: values.name.trim(),
      propertyId: values.propertyId === TENANT_WIDE ? null : values.propertyId,
      channelId: values.channelId.trim(),
      loginChannelId: optional(values.loginChannelId),
      liffId: optional(values.liffId),
      welcomeMessage: values.welcomeMessage,
    };
    const options = { onSuccess: (saved: LineChannel | undefined) => saved && onSaved(saved), onError };
    if (channel) {
      update.mutate(
        {
          id: channel.id,
          ...common,
          ...(values.channelSecret.trim() ? { channelSecret: values.channelSecret.trim() } : {}),
          ...(values.accessToken.trim() ? { accessToken: values.accessToken.trim() } : {}),
        },
        options,
      );
    } else {
      const input: ChannelInput = { ...common, channelSecret: values.channelSecret.trim(), accessToken: values.accessToken.trim() };
      create.mutate(input, options);
    }
  };

  const keepHint = editing ? t('line.form.keepSecret') : undefined;

  return (
    <Modal
      open={open}
      title={editing ? t('line.form.editTitle') : t('line.form.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      width={640}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('line.form.intro')}</Typography.Paragraph>
      <Form<Values> form={form} name="line-channel" layout="vertical" onFinish={submit} data-testid="line-channel-form">
        <Form.Item name="name" label={t('line.fields.name')} extra={t('line.form.nameHelp')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="propertyId" label={t('line.fields.property')} extra={t('line.form.propertyHelp')}>
          <Select
            loading={properties.isPending}
            options={[
              { value: TENANT_WIDE, label: t('line.tenantWide') },
              ...(properties.data ?? []).map((property) => ({ value: property.id, label: t('properties.option', { name: property.name, code: property.code }) })),
            ]}
          />
        </Form.Item>
        <Typography.Title level={5}>{t('line.form.messagingApi')}</Typography.Title>
        <Form.Item
          name="channelId"
          label={t('line.fields.channelId')}
          extra={t('line.form.channelIdHelp')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: DIGITS, message: t('line.form.channelIdInvalid') },
          ]}
        >
          <Input inputMode="numeric" maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="channelSecret"
          label={t('line.fields.channelSecret')}
          extra={keepHint ?? t('line.form.channelSecretHelp')}
          rules={[
            { required: !editing, message: t('validation.required') },
            { pattern: SECRET, message: t('line.form.channelSecretInvalid') },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={64} placeholder={editing ? t('line.form.unchangedPlaceholder') : undefined} />
        </Form.Item>
        <Form.Item
          name="accessToken"
          label={t('line.fields.accessToken')}
          extra={keepHint ? `${keepHint} ${t('line.form.currentToken', { hint: channel?.accessTokenHint ?? '' })}` : t('line.form.accessTokenHelp')}
          rules={[
            { required: !editing, message: t('validation.required') },
            { min: 20, message: t('line.form.accessTokenInvalid') },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={1000} placeholder={editing ? t('line.form.unchangedPlaceholder') : undefined} />
        </Form.Item>
        <Typography.Title level={5}>{t('line.form.liffSection')}</Typography.Title>
        <Alert type="info" showIcon role="note" title={t('line.form.liffExplain')} style={{ marginBottom: 16 }} />
        <Form.Item name="loginChannelId" label={t('line.fields.loginChannelId')} extra={t('line.form.loginChannelIdHelp')} rules={[{ pattern: DIGITS, message: t('line.form.channelIdInvalid') }]}>
          <Input inputMode="numeric" maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item name="liffId" label={t('line.fields.liffId')} extra={t('line.form.liffIdHelp')} rules={[{ pattern: LIFF_ID, message: t('line.form.liffIdInvalid') }]}>
          <Input maxLength={41} autoComplete="off" placeholder="1234567890-AbcdEfgh" />
        </Form.Item>
        <Form.Item name="welcomeMessage" label={t('line.fields.welcomeMessage')} extra={t('line.form.welcomeHelp')}>
          <Input.TextArea rows={3} maxLength={WELCOME_MAX} showCount />
        </Form.Item>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
