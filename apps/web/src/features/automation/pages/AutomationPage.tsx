import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { AutomationTemplateKey } from '@innkeeper/contracts';
import { App, Button, Card, Col, Empty, Flex, Row, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessageOf } from '../../../components/error-message.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import { useProperties } from '../../properties/index.ts';
import { useTags } from '../../tags/index.ts';
import { useAutomationRules, useAutomationTemplates, useCreateFromTemplate, useSwitchRule, type AutomationRuleListItem } from '../api.ts';
import { triggerSummary } from '../labels.ts';

/** 自動化: the hotel's rules with their switch and how many guests went through, and the ready scenarios to start from. */
export function AutomationPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const rules = useAutomationRules();
  const templates = useAutomationTemplates();
  const properties = useProperties();
  const tags = useTags();
  const fromTemplate = useCreateFromTemplate();
  const switchRule = useSwitchRule();
  const groupLevel = me.propertyIds === 'all';
  const propertyName = (id: string | null) => (id === null ? t('automation.groupWide') : (properties.data?.find((p) => p.id === id)?.name ?? '…'));
  const tagName = (id: string) => tags.data?.find((tag) => tag.id === id)?.name ?? '…';

  const startFromTemplate = async (templateKey: AutomationTemplateKey) => {
    try {
      const rule = await fromTemplate.mutateAsync({ templateKey, propertyId: groupLevel ? null : ((me.propertyIds as string[])[0] ?? null) });
      void message.success(t('automation.templateCreated', { name: rule.name }));
      void navigate(`/automation/${rule.id}`);
    } catch (error) {
      void message.error(errorMessageOf(error));
    }
  };

  const toggle = async (rule: AutomationRuleListItem, on: boolean) => {
    try {
      await switchRule.mutateAsync({ id: rule.id, on, version: rule.version });
      void message.success(t(on ? 'automation.switchedOn' : 'automation.switchedOff', { name: rule.name }));
    } catch (error) {
      void message.error(errorMessageOf(error));
    }
  };

  const columns: TableColumnsType<AutomationRuleListItem> = [
    {
      title: t('automation.columns.enabled'),
      key: 'enabled',
      width: 90,
      render: (_, r) => (
        <Switch
          checked={r.enabled}
          aria-label={t('automation.switchLabel', { name: r.name })}
          disabled={r.enabled ? !r.may.disable : !r.may.enable}
          loading={switchRule.isPending && switchRule.variables?.id === r.id}
          onChange={(on) => void toggle(r, on)}
        />
      ),
    },
    { title: t('automation.columns.name'), key: 'name', render: (_, r) => <Link to={`/automation/${r.id}`}>{r.name}</Link> },
    { title: t('automation.columns.trigger'), key: 'trigger', render: (_, r) => triggerSummary(t, r.trigger, tagName) },
    { title: t('automation.columns.property'), key: 'property', width: 120, render: (_, r) => propertyName(r.propertyId) },
    { title: t('automation.columns.steps'), key: 'steps', width: 80, render: (_, r) => r.stepCount },
    { title: t('automation.columns.entered'), key: 'entered', width: 100, render: (_, r) => r.entered.toLocaleString() },
    { title: t('automation.columns.completed'), key: 'completed', width: 100, render: (_, r) => r.completed.toLocaleString() },
    { title: t('automation.columns.updatedAt'), key: 'updatedAt', width: 160, render: (_, r) => formatInZone(r.updatedAt, me.tenant.timezone) },
  ];

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('nav.automation')}
        description={t('automation.description')}
        extra={
          can('campaigns.edit') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/automation/new')}>
              {t('automation.create')}
            </Button>
          ) : undefined
        }
      />
      {can('campaigns.edit') ? (
        <Card title={t('automation.templates.title')} size="small">
          <Row gutter={[16, 16]}>
            {(templates.data ?? []).map((template) => {
              // The rules already made from it (that this account sees), so a second use is a choice, not a slip.
              const inUse = (rules.data ?? []).filter((r) => r.templateKey === template.key);
              // In Chinese the template's own name ({{name}}: the one its rule gets, 商務住宿優惠 as the specification
              // calls it); English translates it.
              const title = t(`automation.templates.names.${template.key}`, { name: template.name });
              return (
                <Col key={template.key} xs={24} md={8}>
                  <Card size="small" title={<><ThunderboltOutlined /> {title}</>} style={{ height: '100%' }} data-testid={`automation-template-${template.key}`}
                    actions={[<Button key="use" type="link" loading={fromTemplate.isPending && fromTemplate.variables?.templateKey === template.key} onClick={() => void startFromTemplate(template.key)}>{t(inUse.length > 0 ? 'automation.templates.useAgain' : 'automation.templates.use')}</Button>]}>
                    <Typography.Paragraph style={{ marginBottom: 8 }}>{t(`automation.templates.descriptions.${template.key}`)}</Typography.Paragraph>
                    {/* The rule is named in the hotel's language (the server's name): said where the title is another's. */}
                    {title !== template.name ? <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('automation.templates.ruleNameNote', { name: template.name })}</Typography.Paragraph> : null}
                    {inUse.length > 0 ? (
                      <Typography.Paragraph style={{ marginBottom: 8 }}>
                        <Typography.Text type="success">{t('automation.templates.inUse')}</Typography.Text>{' '}
                        {inUse.map((r, i) => (
                          <span key={r.id}>
                            {i > 0 ? t('members.listSeparator') : null}
                            <Link to={`/automation/${r.id}`}>{r.name}</Link>
                          </span>
                        ))}
                      </Typography.Paragraph>
                    ) : null}
                    <Flex gap={4} wrap>
                      {template.tagNames.map((name) => <Tag key={name}>{name}</Tag>)}
                    </Flex>
                  </Card>
                </Col>
              );
            })}
          </Row>
        </Card>
      ) : null}
      {rules.isError ? (
        <QueryErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Table<AutomationRuleListItem>
          rowKey="id"
          data-testid="automation-table"
          columns={columns}
          dataSource={rules.data ?? []}
          loading={rules.isPending}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('automation.empty')} /> }}
        />
      )}
      <Typography.Text type="secondary">{t('automation.limitsNote')}</Typography.Text>
    </Flex>
  );
}
