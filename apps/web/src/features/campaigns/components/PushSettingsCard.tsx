import { App, Button, Card, Flex, Form, InputNumber, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { usePushSettings, useUpdatePushSettings } from '../api.ts';

/** The tenant's marketing-push limits: a weekly cap per guest and quiet hours (applied when campaigns are sent). */
export function PushSettingsCard() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const settings = usePushSettings();
  const update = useUpdatePushSettings();
  const editable = can('settings.manage');
  const [cap, setCap] = useState<number | null>(null);
  const [quiet, setQuiet] = useState<[Dayjs, Dayjs] | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    setCap(settings.data.weeklyCap);
    setQuiet(settings.data.quietHours ? [dayjs(settings.data.quietHours.start, 'HH:mm'), dayjs(settings.data.quietHours.end, 'HH:mm')] : null);
  }, [settings.data]);

  const save = () =>
    update
      .mutateAsync({ weeklyCap: cap, quietHours: quiet ? { start: quiet[0].format('HH:mm'), end: quiet[1].format('HH:mm') } : null })
      .then(() => void message.success(t('campaigns.settings.saved')))
      .catch((error: unknown) => void message.error(errorMessageOf(error)));

  return (
    <Card title={t('campaigns.settings.title')} size="small" loading={settings.isPending} data-testid="push-settings">
      {settings.isError ? (
        <QueryErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('campaigns.settings.description')}</Typography.Text>
          <Form layout="inline" component="div">
            <Form.Item label={t('campaigns.settings.weeklyCap')}>
              <Flex gap={8} align="center">
                <InputNumber min={1} max={50} value={cap} disabled={!editable} placeholder={t('campaigns.settings.noLimit')} onChange={(value) => setCap(value ?? null)} style={{ width: 110 }} />
                <span>{t('campaigns.settings.weeklyCapSuffix')}</span>
              </Flex>
            </Form.Item>
            <Form.Item label={t('campaigns.settings.quietHours')}>
              <Flex gap={8} align="center">
                <Switch checked={quiet !== null} disabled={!editable} onChange={(on) => setQuiet(on ? [dayjs('22:00', 'HH:mm'), dayjs('08:00', 'HH:mm')] : null)} />
                {quiet ? <TimePicker.RangePicker format="HH:mm" order={false} value={quiet} disabled={!editable} onChange={(range) => setQuiet(range && range[0] && range[1] ? [range[0], range[1]] : null)} /> : <span>{t('campaigns.settings.quietOff')}</span>}
              </Flex>
            </Form.Item>
            {editable ? (
              <Button type="primary" loading={update.isPending} onClick={() => void save()}>
                {t('common.save')}
              </Button>
            ) : null}
          </Form>
          {editable ? null : <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.settings.readOnly')}</Typography.Text>}
        </Flex>
      )}
    </Card>
  );
}
