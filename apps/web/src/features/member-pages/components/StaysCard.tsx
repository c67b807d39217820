import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import type { dayjs } from '../../../lib/datetime.ts';
import { useFormError } from '../../../lib/use-form-error.ts';
import type { Property } from '../../properties/index.ts';
import { usePmsChannelLabel } from '../../pms/index.ts';
import { type Stay, STAY_PARTY_MAX, STAY_STATUSES, type StayStatus, useAddStay, useMemberLabels, useMemberStays } from '../../members/index.ts';

const STATUS_COLORS: Record<StayStatus, string> = { booked: 'blue', in_house: 'green', stayed: 'default', cancelled: 'red', no_show: 'orange' };

/** Amounts in whole units of their currency, e.g. NT$12,800. */
export function formatAmount(amount: number | null, currency: string, locale: string): string {
  if (amount === null) return '—';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency || 'TWD', maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${currency} ${amount.toLocaleString(locale)}`;
  }
}

type Props = { memberId: string; properties: Property[]; canEdit: boolean };

export function StaysCard({ memberId, properties, canEdit }: Props) {
  const { t, i18n } = useTranslation();
  const labels = useMemberLabels();
  const channelLabel = usePmsChannelLabel();
  const stays = useMemberStays(memberId);
  const [adding, setAdding] = useState(false);
  const propertyName = (id: string) => properties.find((property) => property.id === id)?.name ?? '—';

  // Compact enough for the detail page's side column: dates with nights, room with rate and channel stacked.
  const columns: TableColumnsType<Stay> = [
    { title: t('members.stays.property'), dataIndex: 'propertyId', width: 90, render: (id: string) => propertyName(id) },
    {
      title: t('members.stays.dates'),
      key: 'dates',
      width: 170,
      render: (_, stay) => (
        <Flex vertical>
          <span style={{ whiteSpace: 'nowrap' }}>
            {stay.checkIn} – {stay.checkOut}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('members.stays.nightsCount', { count: stay.nights ?? 0 })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('members.stays.room'),
      key: 'room',
      render: (_, stay) => (
        <Flex vertical>
          <span>{stay.roomType || '—'}</span>
          {stay.rateCode || stay.channel ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <span data-testid="stay-channel">{[stay.rateCode, channelLabel(stay)].filter(Boolean).join(' · ')}</span>
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('members.stays.party'),
      key: 'party',
      width: 80,
      render: (_, stay) =>
        stay.adults === null && stay.children === null ? (
          <Typography.Text type="secondary">{t('members.stays.partyUnrecorded')}</Typography.Text>
        ) : (
          <Flex vertical data-testid="stay-party">
            <span style={{ whiteSpace: 'nowrap' }}>{stay.adults === null ? `${t('members.stays.adults')} —` : t('members.stays.adultsCount', { count: stay.adults })}</span>
            <span style={{ whiteSpace: 'nowrap' }}>{stay.children === null ? `${t('members.stays.children')} —` : t('members.stays.childrenCount', { count: stay.children })}</span>
          </Flex>
        ),
    },
    { title: t('members.stays.amount'), key: 'amount', width: 110, align: 'end', render: (_, stay) => formatAmount(stay.amount, stay.currency, i18n.language) },
    { title: t('members.stays.statusLabel'), dataIndex: 'status', width: 90, render: (status: StayStatus) => <Tag color={STATUS_COLORS[status] ?? 'default'}>{labels.stayStatus(status)}</Tag> },
  ];

  return (
    <Card
      title={t('members.stays.title')}
      extra={
        canEdit ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={properties.length === 0}>
            {t('members.stays.add')}
          </Button>
        ) : undefined
      }
    >
      {stays.isError ? (
        <QueryErrorAlert error={stays.error} onRetry={() => void stays.refetch()} />
      ) : (
        <Table<Stay>
          rowKey="id"
          size="small"
          data-testid="member-stays"
          columns={columns}
          dataSource={stays.data ?? []}
          // A stay's `children` is its count of children; antd would read a row's `children` as nested rows.
          expandable={{ childrenColumnName: 'nestedStays' }}
          loading={stays.isPending}
          scroll={{ x: 600 }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.stays.empty')} /> }}
        />
      )}
      <StayFormModal memberId={memberId} properties={properties} open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}

type StayValues = {
  propertyId: string;
  checkIn: dayjs.Dayjs;
  checkOut: dayjs.Dayjs;
  roomType?: string;
  rateCode?: string;
  channel?: string;
  amount?: number | null;
  adults?: number | null;
  children?: number | null;
  status: StayStatus;
};
const STAY_FIELDS = ['propertyId', 'checkIn', 'checkOut', 'roomType', 'rateCode', 'channel', 'amount', 'adults', 'children', 'status'] as const;

function StayFormModal({ memberId, properties, open, onClose }: { memberId: string; properties: Property[]; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useMemberLabels();
  const [form] = Form.useForm<StayValues>();
  const addStay = useAddStay();
  const { formError, onError, clearFormError } = useFormError(form, STAY_FIELDS);
  const checkIn = Form.useWatch('checkIn', form);

  useEffect(() => {
    if (!open) return;
    clearFormError();
    form.resetFields();
    form.setFieldsValue({ status: 'stayed', propertyId: properties.length === 1 ? properties[0]?.id : undefined });
  }, [open, form, clearFormError, properties]);

  const submit = (values: StayValues) => {
    clearFormError();
    addStay.mutate(
      {
        memberId,
        propertyId: values.propertyId,
        checkIn: values.checkIn.format('YYYY-MM-DD'),
        checkOut: values.checkOut.format('YYYY-MM-DD'),
        roomType: values.roomType?.trim() ?? '',
        rateCode: values.rateCode?.trim() ?? '',
        channel: values.channel?.trim() ?? '',
        amount: values.amount ?? null,
        adults: values.adults ?? null,
        children: values.children ?? null,
        status: values.status,
      },
      {
        onSuccess: () => {
          void message.success(t('members.stays.added'));
          onClose();
        },
        onError,
      },
    );
  };

  return (
    <Modal open={open} title={t('members.stays.addTitle')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={addStay.isPending} forceRender width={560}>
      <Form<StayValues> form={form} name="stay" layout="vertical" onFinish={submit}>
        <Form.Item name="propertyId" label={t('members.stays.property')} rules={[{ required: true, message: t('members.stays.propertyRequired') }]}>
          <Select options={properties.map((property) => ({ value: property.id, label: property.name }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="checkIn" label={t('members.stays.checkIn')} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="checkOut"
            label={t('members.stays.checkOut')}
            dependencies={['checkIn']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: (_, value: dayjs.Dayjs | undefined) => {
                  const start = getFieldValue('checkIn') as dayjs.Dayjs | undefined;
                  return !value || !start || !value.isBefore(start, 'day') ? Promise.resolve() : Promise.reject(new Error(t('members.stays.checkOutBeforeCheckIn')));
                },
              }),
            ]}
            style={{ flex: 1 }}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(date) => Boolean(checkIn && date.isBefore(checkIn, 'day'))} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="roomType" label={t('members.stays.roomType')} style={{ flex: 1 }}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="status" label={t('members.stays.statusLabel')} style={{ flex: 1 }}>
            <Select options={STAY_STATUSES.map((status) => ({ value: status, label: labels.stayStatus(status) }))} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="rateCode" label={t('members.stays.rateCode')} style={{ flex: 1 }}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="channel" label={t('members.stays.channel')} style={{ flex: 1 }}>
            <Input maxLength={50} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="amount" label={t('members.stays.amountTwd')} style={{ flex: 2 }}>
            <InputNumber<number> min={0} max={100_000_000} precision={0} prefix="NT$" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="adults" label={t('members.stays.adults')} style={{ flex: 1 }}>
            <InputNumber<number> min={0} max={STAY_PARTY_MAX} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="children" label={t('members.stays.children')} style={{ flex: 1 }}>
            <InputNumber<number> min={0} max={STAY_PARTY_MAX} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <FormErrorAlert message={formError} />
      </Form>
    </Modal>
  );
}
