import { CAMPAIGN_WEEKLY_CAP } from '@innkeeper/contracts';
import { App, Button, Card, Flex, Form, Grid, Input, InputNumber, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { usePushSettings, useUpdatePushSettings } from '../api.ts';
import { quietHoursIssue, quietTime, weeklyCapValid } from '../push-settings.ts';

type QuietHours = { start: string; end: string };

/**
 * The tenant's marketing-push limits: a weekly cap per guest and quiet hours (applied when campaigns are sent). What
 * is typed stays as typed: out of range, the field says the allowed range and nothing is saved (antd's InputNumber
 * min/max and TimePicker would silently put another value in its place).
 */
export function PushSettingsCard() {
  const screens = Grid.useBreakpoint();
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const settings = usePushSettings();
  const update = useUpdatePushSettings();
  const editable = can('settings.manage');
  const [cap, setCap] = useState<number | null>(null);
  const [quiet, setQuiet] = useState<QuietHours | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    setCap(settings.data.weeklyCap);
    setQuiet(settings.data.quietHours);
  }, [settings.data]);

  const capValid = weeklyCapValid(cap);
  const capRange = t('campaigns.settings.weeklyCapRange', { min: CAMPAIGN_WEEKLY_CAP.min, max: CAMPAIGN_WEEKLY_CAP.max });
  const quietIssue = quiet ? quietHoursIssue(quiet) : undefined;
  const quietText = quietIssue && t(`campaigns.settings.quietIssue.${quietIssue}`);

  const quietAria = quietText ? { 'aria-invalid': true, 'aria-describedby': 'push-quiet-help' } : {};

  const save = () => {
    const issue = capValid ? quietText : capRange;
    if (issue) {
      void message.warning(issue);
      return;
    }
    return update
      .mutateAsync({ weeklyCap: cap, quietHours: quiet ? { start: quietTime(quiet.start)!, end: quietTime(quiet.end)! } : null })
      .then(() => void message.success(t('campaigns.settings.saved')))
      .catch((error: unknown) => void message.error(errorMessageOf(error)));
  };

  return (
    <Card title={t('campaigns.settings.title')} size="small" loading={settings.isPending} data-testid="push-settings">
      {settings.isError ? (
        <QueryErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('campaigns.settings.description')}</Typography.Text>
          {/* On a phone a field's label and inputs on one line were wider than the screen (browser review: 431 px at
              390): there each label sits above its inputs. */}
          <Form layout={screens.sm === false ? 'vertical' : 'inline'} component="div">
            <Form.Item label={t('campaigns.settings.weeklyCap')} htmlFor="push-weekly-cap" validateStatus={capValid ? undefined : 'error'} data-testid="push-weekly-cap-item">
              <Flex vertical>
                <Flex gap={8} align="center">
                  <InputNumber<number>
                    id="push-weekly-cap"
                    aria-invalid={capValid ? undefined : true}
                    aria-describedby={capValid ? undefined : 'push-weekly-cap-help'}
                    value={cap}
                    disabled={!editable}
                    placeholder={t('campaigns.settings.noLimit')}
                    onChange={(value) => setCap(value ?? null)}
                    style={{ width: 110 }}
                  />
                  <span>{t('campaigns.settings.weeklyCapSuffix')}</span>
                </Flex>
                <FieldMessage id="push-weekly-cap-help" text={capValid ? undefined : capRange} />
              </Flex>
            </Form.Item>
            <Form.Item label={t('campaigns.settings.quietHours')} validateStatus={quietText ? 'error' : undefined} data-testid="push-quiet-item">
              <Flex vertical>
                <Flex gap={8} align="center">
                  <Switch aria-label={t('campaigns.settings.quietHours')} checked={quiet !== null} disabled={!editable} onChange={(on) => setQuiet(on ? { start: '22:00', end: '08:00' } : null)} />
                  {quiet ? (
                    <>
                      <Input aria-label={t('campaigns.settings.quietStart')} {...quietAria} value={quiet.start} disabled={!editable} placeholder="22:00" maxLength={5} onChange={(e) => setQuiet({ ...quiet, start: e.target.value })} style={{ width: 80 }} />
                      <span>–</span>
                      <Input aria-label={t('campaigns.settings.quietEnd')} {...quietAria} value={quiet.end} disabled={!editable} placeholder="08:00" maxLength={5} onChange={(e) => setQuiet({ ...quiet, end: e.target.value })} style={{ width: 80 }} />
                    </>
                  ) : (
                    <span>{t('campaigns.settings.quietOff')}</span>
                  )}
                </Flex>
                <FieldMessage id="push-quiet-help" text={quietText} />
              </Flex>
            </Form.Item>
            {editable ? (
              <Button type="primary" loading={update.isPending} onClick={() => void save()} data-testid="push-settings-save">
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

/**
 * A field's message under its inputs, in space kept for it (two lines) whether or not there is one: the row does not
 * move when a message shows (browser review: the save button and the next field jumped). As wide as the inputs above
 * it (width 0, at least the column's), so a long message wraps rather than widening the field.
 */
function FieldMessage({ id, text }: { id: string; text: string | undefined }) {
  return (
    <div style={{ minHeight: 44, width: 0, minWidth: '100%' }}>
      {text ? (
        <div id={id} className="ant-form-item-explain ant-form-item-explain-connected" role="alert">
          <div className="ant-form-item-explain-error">{text}</div>
        </div>
      ) : null}
    </div>
  );
}
