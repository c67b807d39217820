import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useProperties } from '../../properties/index.ts';
import type { ConnectionInput, PmsConnection } from '../api.ts';

export type ConnectionFormValues = {
  name: string;
  /** Only on the first connection (a connection keeps its kind). */
  kind?: PmsConnection['kind'];
  /** Absent for a file connection (it has no URL or key). */
  baseUrl?: string;
  dropDir?: string;
  apiKey?: string;
  hotelCod?: string;
  mapping: Array<{ hotelCode: string; propertyId: string }>;
  defaultPropertyId?: string;
  statusDialect: 'KTW' | 'BACCHUS';
  scheduleMinutes: number;
  enabled: boolean;
  linkUnverifiedMobile: boolean;
};

/** `defaultName`: the reader's words for 德安 PMS (a new connection's name, which the hotel may change). */
export function initialValues(connection?: PmsConnection, defaultName = '德安 PMS'): ConnectionFormValues {
  return {
    name: connection?.name ?? defaultName,
    ...(connection ? {} : { kind: 'dean_http' as const }),
    baseUrl: connection?.baseUrl ?? '',
    dropDir: connection?.dropDir ?? '',
    hotelCod: connection?.hotelCod ?? '',
    mapping: Object.entries(connection?.propertyMap ?? {}).map(([hotelCode, propertyId]) => ({ hotelCode, propertyId })),
    ...(connection?.defaultPropertyId ? { defaultPropertyId: connection.defaultPropertyId } : {}),
    statusDialect: connection?.statusDialect ?? 'KTW',
    scheduleMinutes: connection?.scheduleMinutes ?? 15,
    enabled: connection?.enabled ?? true,
    linkUnverifiedMobile: connection?.linkUnverifiedMobile ?? false,
  };
}

/** The form's values as the API takes them (a key only when one was typed: an edit keeps the stored key). */
export function toInput(values: ConnectionFormValues): ConnectionInput {
  return {
    name: values.name.trim(),
    ...(values.kind ? { kind: values.kind } : {}),
    ...(values.baseUrl !== undefined ? { baseUrl: values.baseUrl.trim() } : {}),
    ...(values.baseUrl !== undefined ? { apiKey: values.apiKey?.trim() ?? '' } : {}),
    ...(values.dropDir !== undefined ? { dropDir: values.dropDir.trim() || null } : {}),
    hotelCod: values.hotelCod?.trim() ? values.hotelCod.trim() : null,
    propertyMap: Object.fromEntries(values.mapping.filter((m) => m.hotelCode && m.propertyId).map((m) => [m.hotelCode.trim(), m.propertyId])),
    defaultPropertyId: values.defaultPropertyId ?? null,
    statusDialect: values.statusDialect,
    scheduleMinutes: values.scheduleMinutes,
    enabled: values.enabled,
    linkUnverifiedMobile: values.linkUnverifiedMobile,
  };
}

/** The connection's settings: URL and key, the hotels' mapping to properties, the schedule. */
export function ConnectionForm({ editing, kind }: { editing: boolean; kind?: PmsConnection['kind'] }) {
  const { t } = useTranslation();
  // A new connection's kind is chosen here; an existing one keeps its own (contract §1–8 HTTP, or §9 files).
  const chosen = Form.useWatch<PmsConnection['kind'] | undefined>('kind');
  const http = (kind ?? chosen ?? 'dean_http') === 'dean_http';
  const properties = useProperties();
  const propertyOptions = (properties.data ?? []).map((p) => ({ value: p.id, label: p.name }));
  return (
    <>
      <Form.Item name="name" label={t('pms.fields.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input data-testid="pms-name" />
      </Form.Item>
      {editing ? null : (
        <Form.Item name="kind" label={t('pmsFiles.kind')}>
          <Select options={(['dean_http', 'dean_file'] as const).map((value) => ({ value, label: t(`pmsFiles.kinds.${value}`) }))} data-testid="pms-kind" />
        </Form.Item>
      )}
      {http ? (
        <>
          <Form.Item name="baseUrl" label={t('pms.fields.baseUrl')} extra={t('pms.fields.baseUrlHelp')} rules={[{ required: true, type: 'url' }]}>
            <Input placeholder="https://pms-agent.hotel.example/dean/v1" data-testid="pms-base-url" />
          </Form.Item>
          <Form.Item name="apiKey" label={t('pms.fields.apiKey')} extra={editing ? t('pms.fields.apiKeyKeep') : undefined} rules={editing ? [{ min: 16 }] : [{ required: true, min: 16 }]}>
            <Input.Password autoComplete="new-password" data-testid="pms-api-key" />
          </Form.Item>
        </>
      ) : null}
      <Form.Item name="dropDir" label={t('pmsFiles.dropDir')} extra={t('pmsFiles.dropDirHelp')} rules={[{ pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/ }]}>
        <Input maxLength={64} data-testid="pms-drop-dir" />
      </Form.Item>
      <Form.Item name="hotelCod" label={t('pms.fields.hotelCod')} extra={t('pms.fields.hotelCodHelp')}>
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item label={t('pms.fields.propertyMap')} extra={t('pms.fields.propertyMapHelp')}>
        <Form.List name="mapping">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="baseline">
                  <Form.Item name={[field.name, 'hotelCode']} noStyle rules={[{ required: true, max: 20 }]}>
                    <Input placeholder={t('pms.hotelCode')} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'propertyId']} noStyle rules={[{ required: true }]}>
                    <Select placeholder={t('pms.property')} options={propertyOptions} style={{ width: 200 }} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(field.name)} />
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ hotelCode: '', propertyId: undefined })} style={{ alignSelf: 'flex-start' }}>
                {t('pms.addHotel')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="defaultPropertyId" label={t('pms.fields.defaultProperty')}>
        <Select allowClear options={propertyOptions} />
      </Form.Item>
      <Form.Item name="statusDialect" label={t('pms.fields.statusDialect')}>
        <Select options={[{ value: 'KTW', label: 'KTW' }, { value: 'BACCHUS', label: 'Bacchus' }]} style={{ width: 160 }} />
      </Form.Item>
      {/* The field rounds what is out of range up or down as it loses focus: the hint says the range beforehand. */}
      <Form.Item name="scheduleMinutes" label={t('pms.fields.scheduleMinutes')} extra={t('pms.fields.scheduleHint')} rules={[{ required: true, type: 'number', min: 5, max: 1440 }]}>
        <InputNumber min={5} max={1440} step={5} data-testid="pms-schedule" />
      </Form.Item>
      <Form.Item name="enabled" label={t('pms.fields.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="linkUnverifiedMobile" label={t('pms.fields.linkUnverifiedMobile')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </>
  );
}
