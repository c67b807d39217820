import { Alert, App, Button, Card, Flex, Form, Image, Input, Skeleton, Switch, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useFormError } from '../../../lib/use-form-error.ts';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import { usePortalSettings, usePortalStatus, useSavePortalSettings } from '../api.ts';
import { REGISTRATION_FIELDS, type PortalSettings, type RegistrationField } from '../types.ts';

// Registration problems (a required field that is off) belong to no single input: they show above the button.
const FIELDS = ['requireRegistration', 'memberCard', 'coverImageUrl', 'introText'] as const;
const INTRO_MAX = 1000;

/** The mobile is how a binding is proven (a one-time SMS code) and matched: it is always asked and required. */
const LOCKED: RegistrationField = 'mobile';

/** 設定 → 會員專區: what the registration form asks and what the member area shows. */
export function PortalSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PortalSettings>();
  const settings = usePortalSettings();
  const status = usePortalStatus();
  const save = useSavePortalSettings();
  const { formError, onError, clearFormError } = useFormError(form, FIELDS);
  const registration = Form.useWatch('registration', form);
  const coverImageUrl = Form.useWatch('coverImageUrl', form);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const submit = (values: PortalSettings) => {
    clearFormError();
    // The locked row is sent as the server requires it, whatever the (disabled) switches show.
    const next: PortalSettings = { ...values, registration: { ...values.registration, [LOCKED]: { enabled: true, required: true } } };
    save.mutate(next, { onSuccess: () => void message.success(t('memberPortal.saved')), onError });
  };

  const columns: TableColumnsType<{ field: RegistrationField }> = [
    {
      title: t('memberPortal.registration.field'),
      key: 'field',
      render: (_, { field }) => (
        <Flex vertical>
          <Typography.Text strong>{t(`memberPortal.registration.fields.${field}`)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`memberPortal.registration.help.${field}`)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('memberPortal.registration.enabled'),
      key: 'enabled',
      width: 110,
      render: (_, { field }) => (
        <Form.Item name={['registration', field, 'enabled']} valuePropName="checked" noStyle>
          <Switch
            disabled={field === LOCKED}
            aria-label={t('memberPortal.registration.enabledNamed', { field: t(`memberPortal.registration.fields.${field}`) })}
            data-testid={`portal-${field}-enabled`}
            onChange={(enabled) => {
              if (!enabled) form.setFieldValue(['registration', field, 'required'], false);
            }}
          />
        </Form.Item>
      ),
    },
    {
      title: t('memberPortal.registration.required'),
      key: 'required',
      width: 110,
      render: (_, { field }) => (
        <Form.Item name={['registration', field, 'required']} valuePropName="checked" noStyle>
          <Switch
            disabled={field === LOCKED || !registration?.[field]?.enabled}
            aria-label={t('memberPortal.registration.requiredNamed', { field: t(`memberPortal.registration.fields.${field}`) })}
            data-testid={`portal-${field}-required`}
          />
        </Form.Item>
      ),
    },
  ];

  return (
    <Card title={t('memberPortal.settingsTitle')}>
      {status.data && !status.data.bindingAvailable ? (
        <Alert type="warning" showIcon title={t('memberPortal.smsUnavailable.title')} description={t('memberPortal.smsUnavailable.body')} style={{ marginBottom: 16 }} data-testid="portal-sms-unavailable" />
      ) : null}
      {settings.isError ? <QueryErrorAlert error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {settings.isPending ? <Skeleton active /> : null}
      <Form<PortalSettings>
        form={form}
        name="member-portal-settings"
        layout="vertical"
        onFinish={submit}
        onValuesChange={clearFormError}
        hidden={!settings.data}
        data-testid="member-portal-settings-form"
      >
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('memberPortal.registration.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('memberPortal.registration.intro')}</Typography.Paragraph>
        <Table
          rowKey="field"
          size="small"
          columns={columns}
          dataSource={REGISTRATION_FIELDS.map((field) => ({ field }))}
          pagination={false}
          style={{ marginBottom: 24 }}
          scroll={{ x: 480 }}
        />

        <Typography.Title level={5}>{t('memberPortal.access.title')}</Typography.Title>
        <Form.Item name="requireRegistration" valuePropName="checked" label={t('memberPortal.access.requireRegistration')} extra={t('memberPortal.access.help')}>
          <Switch data-testid="portal-require-registration" />
        </Form.Item>

        <Typography.Title level={5}>{t('memberPortal.card.title')}</Typography.Title>
        <Flex gap={32} wrap>
          <Form.Item name={['memberCard', 'showQrCode']} valuePropName="checked" label={t('memberPortal.card.showQrCode')}>
            <Switch data-testid="portal-show-qr" />
          </Form.Item>
          <Form.Item name={['memberCard', 'showBarcode']} valuePropName="checked" label={t('memberPortal.card.showBarcode')}>
            <Switch data-testid="portal-show-barcode" />
          </Form.Item>
        </Flex>

        <Typography.Title level={5}>{t('memberPortal.look.title')}</Typography.Title>
        <Form.Item name="coverImageUrl" label={t('memberPortal.look.coverImageUrl')} extra={t('memberPortal.look.coverHelp')} rules={[{ type: 'url', message: t('memberPortal.invalidUrl') }]}>
          <Input maxLength={500} placeholder="https://" inputMode="url" />
        </Form.Item>
        {displayableImageUrl(coverImageUrl) ? (
          <Image src={displayableImageUrl(coverImageUrl)} alt={t('memberPortal.look.coverPreview')} width={320} style={{ maxHeight: 160, objectFit: 'cover', marginBottom: 16, borderRadius: 8 }} />
        ) : null}
        <Form.Item name="introText" label={t('memberPortal.look.introText')} extra={t('memberPortal.look.introHelp')}>
          <Input.TextArea rows={3} maxLength={INTRO_MAX} showCount />
        </Form.Item>

        <FormErrorAlert message={formError} />
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="member-portal-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
