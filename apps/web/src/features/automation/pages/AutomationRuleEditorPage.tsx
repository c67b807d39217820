import { ArrowDownOutlined, ArrowLeftOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { AUTOMATION_STEP_KINDS, AUTOMATION_TRIGGER_KINDS, isTimeTrigger, nameLength, type AutomationStepKind, type AutomationTriggerKind } from '@innkeeper/contracts';
import type { AutomationStep, AutomationTrigger } from '@innkeeper/contracts/api';
import { Alert, App, Button, Card, Col, Descriptions, Dropdown, Flex, Form, Input, InputNumber, Radio, Result, Row, Select, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessageOf } from '../../../components/error-message.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorResult } from '../../../components/QueryErrorResult.tsx';
import { isApiError } from '../../../lib/api-error.ts';
import { useSession } from '../../../session/session-context.ts';
import { imagePath, LinePreview, MESSAGE_TYPES, MessageEditor, newMessage, NAME_MAX, previewOf, sampleGuestFor, toRequestMessages, type CampaignImage, type Issues, type MessageDraft, type MessageEditorContext, useButtonTags, useDraftSave } from '../../campaigns/index.ts';
import { EMPTY_DEFINITION, toDefinition, toDraft, type DraftGroup } from '../../members/index.ts';
import { useProperties } from '../../properties/index.ts';
import { SegmentBuilder, useSegments } from '../../segments/index.ts';
import { filterTagOption, useTags } from '../../tags/index.ts';
import { moveStep, removeStep } from '../step-order.ts';
import { useAutomationRule, useAutomationRules, useAutomationStats, useCreateRule, useDeleteRule, useSwitchRule, useUpdateRule, type AutomationRule, type AutomationRuleInput, type AutomationStats } from '../api.ts';
import { editorIssues, fieldProps, ruleControlProps, withEditorIssues } from '../editor-checks.ts';

export function AutomationRuleEditorPage() {
  const { ruleId } = useParams();
  return <RuleLoader key={ruleId ?? 'new'} ruleId={ruleId} />;
}

function RuleLoader({ ruleId }: { ruleId: string | undefined }) {
  const { t } = useTranslation();
  const rule = useAutomationRule(ruleId);
  if (!ruleId) return <Editor rule={undefined} />;
  if (rule.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (rule.isError) {
    if (isApiError(rule.error) && rule.error.code === 'automation.not_found') return <Result status="404" title={t('automation.notFound')} extra={<Link to="/automation">{t('automation.backToList')}</Link>} />;
    return <QueryErrorResult error={rule.error} onRetry={() => void rule.refetch()} />;
  }
  // A saved change comes back as a new version: the editor starts again from it (with the ids the server gave buttons).
  return <Editor key={`${rule.data.version}-${rule.data.enabled}`} rule={rule.data} />;
}

/** A step as the editor holds it: a send's messages are drafts (half-written is fine until saving). */
type StepDraft = Exclude<AutomationStep, { kind: 'send' }> | { kind: 'send'; messages: MessageDraft[] };
type ConditionKind = 'none' | 'segment' | 'conditions';

type State = {
  name: string;
  propertyId: string | null;
  trigger: AutomationTrigger;
  conditionKind: ConditionKind;
  segmentId: string | undefined;
  conditions: DraftGroup;
  steps: StepDraft[];
};

function initialState(rule: AutomationRule | undefined, defaultProperty: string | null): State {
  const condition = rule?.condition ?? null;
  return {
    name: rule?.name ?? '',
    propertyId: rule ? rule.propertyId : defaultProperty,
    trigger: rule?.trigger ?? { kind: 'friend_added' },
    conditionKind: condition ? condition.kind : 'none',
    segmentId: condition?.kind === 'segment' ? condition.segmentId : undefined,
    conditions: toDraft(condition?.kind === 'conditions' ? condition.definition : EMPTY_DEFINITION),
    steps: (rule?.steps as StepDraft[] | undefined) ?? [{ kind: 'send', messages: [newMessage('text')] }],
  };
}

function inputOf(state: State): AutomationRuleInput {
  return {
    name: state.name,
    propertyId: state.propertyId,
    trigger: state.trigger,
    condition: state.conditionKind === 'segment' ? { kind: 'segment', segmentId: state.segmentId ?? '' } : state.conditionKind === 'conditions' ? { kind: 'conditions', definition: toDefinition(state.conditions) } : null,
    steps: state.steps.map((step) => (step.kind === 'send' ? { kind: 'send', messages: toRequestMessages(step.messages) } : step)) as AutomationRuleInput['steps'],
  };
}

function newTrigger(kind: AutomationTriggerKind, tagId: string | undefined): AutomationTrigger {
  switch (kind) {
    case 'tag_added':
      return { kind, tagId: tagId ?? '' };
    case 'checked_out':
      return { kind, days: 3, hour: 10 };
    case 'arrival':
      return { kind, days: 7, hour: 10 };
    case 'no_interaction':
      return { kind, days: 90, hour: 10 };
    case 'birthday':
      return { kind, hour: 10 };
    default:
      return { kind } as AutomationTrigger;
  }
}

function newStep(kind: AutomationStepKind, tagId: string | undefined, earlierSend: number): StepDraft {
  switch (kind) {
    case 'send':
      return { kind, messages: [newMessage('text')] };
    case 'add_tag':
    case 'remove_tag':
    case 'if_tagged':
      return { kind, tagId: tagId ?? '' };
    case 'wait':
      return { kind, amount: 1, unit: 'days' };
    case 'if_clicked':
      return { kind, step: Math.max(0, earlierSend) };
  }
}

/** The rule builder: trigger, who enters, the steps (sends use the campaign message editor), per-step counts. */
function Editor({ rule }: { rule: AutomationRule | undefined }) {
  const { t, i18n } = useTranslation();
  const { me, can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const tags = useTags();
  const buttonTags = useButtonTags();
  const segments = useSegments();
  const properties = useProperties();
  const stats = useAutomationStats(rule?.id);
  const create = useCreateRule();
  const update = useUpdateRule();
  const remove = useDeleteRule();
  const switchRule = useSwitchRule();
  const groupLevel = me.propertyIds === 'all';
  const defaultProperty = groupLevel ? null : ((me.propertyIds as string[])[0] ?? null);
  const [state, setState] = useState<State>(() => initialState(rule, defaultProperty));
  const [images, setImages] = useState<Map<string, CampaignImage>>(() => new Map((rule?.images ?? []).map((image) => [image.id, image])));

  const editable = rule ? rule.may.edit : can('campaigns.edit');
  const disabled = !editable;
  const input = useMemo(() => inputOf(state), [state]);
  const allRules = useAutomationRules();
  const { dirty, save, issues: serverIssues, formError } = useDraftSave({
    input,
    initialInput: () => inputOf(initialState(rule, defaultProperty)),
    existing: rule,
    create: (body) => create.mutateAsync(body),
    update: (body) => update.mutateAsync(body),
    pathOf: (id) => `/automation/${id}`,
    savedText: () => t('automation.editor.saved', { name: state.name }),
    fixErrorsText: t('automation.editor.fixErrors'),
  });
  // What staff typed is kept as typed: a number out of range or a name another rule has is marked at its field as they
  // type (the server refuses the same), never moved into range or saved (browser review: an hour 30 became 23).
  const otherNames = useMemo(() => new Set((allRules.data ?? []).filter((r) => r.id !== rule?.id).map((r) => r.name)), [allRules.data, rule?.id]);
  // A name of only spaces is said at the field once staff typed in it or tried to save (not on a new rule's empty form).
  const [nameChecked, setNameChecked] = useState(false);
  const ownIssues = useMemo(() => editorIssues(state, otherNames, { nameChecked, t }), [state, otherNames, nameChecked, t]);
  const issues = useMemo(() => withEditorIssues(serverIssues, ownIssues), [serverIssues, ownIssues]);
  const [checkFirst, setCheckFirst] = useState(false);
  const trySave = () => {
    const found = editorIssues(state, otherNames, { nameChecked: true, t });
    setNameChecked(true);
    setCheckFirst(found.size > 0);
    if (found.size === 0) void save();
  };
  const change = (patch: Partial<State>) => setState((current) => ({ ...current, ...patch }));
  // Step changes apply to the steps as they are when React runs them, not as this render saw them (as the campaign
  // editor's messages do): a change that lands late, such as a button's tag made on the server, must not undo one
  // made meanwhile.
  const setSteps = (update: (steps: StepDraft[]) => StepDraft[]) => setState((current) => ({ ...current, steps: update(current.steps) }));
  const setStep = (index: number, step: StepDraft) => setSteps((steps) => steps.map((s, i) => (i === index ? step : s)));
  const tagOptions = (tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name }));
  const tagNames = useMemo(() => new Map((tags.data ?? []).map((tag) => [tag.id, tag.name])), [tags.data]);
  const previewImages = useMemo(() => new Map([...images.values()].map((image) => [image.id, { src: imagePath(image.url), width: image.width, height: image.height }])), [images]);

  const toggle = async (on: boolean) => {
    if (!rule) return;
    try {
      await switchRule.mutateAsync({ id: rule.id, on, version: rule.version });
      void message.success(t(on ? 'automation.switchedOn' : 'automation.switchedOff', { name: rule.name }));
    } catch (error) {
      void message.error(errorMessageOf(error));
    }
  };

  const confirmDelete = () =>
    rule &&
    modal.confirm({
      title: t('automation.editor.deleteConfirm', { name: rule.name }),
      okButtonProps: { danger: true },
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      // A refusal (switched on meanwhile, say) is said, not swallowed by the dialog.
      onOk: () =>
        remove
          .mutateAsync(rule.id)
          .then(() => void navigate('/automation'))
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const trigger = state.trigger;
  const sendSteps = state.steps.flatMap((s, i) => (s.kind === 'send' ? [i] : []));

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={
          <Space>
            <Link to="/automation" aria-label={t('automation.backToList')}>
              <ArrowLeftOutlined />
            </Link>
            {rule ? rule.name : t('automation.create')}
            {rule ? <Tag color={rule.enabled ? 'green' : 'default'}>{t(rule.enabled ? 'automation.on' : 'automation.off')}</Tag> : null}
          </Space>
        }
        extra={
          <Space>
            {rule ? (
              <Switch
                checked={rule.enabled}
                aria-label={t('automation.switchLabel', { name: rule.name })}
                disabled={(rule.enabled ? !rule.may.disable : !rule.may.enable) || dirty}
                loading={switchRule.isPending}
                onChange={(on) => void toggle(on)}
              />
            ) : null}
            {rule?.may.edit ? (
              <Button danger icon={<DeleteOutlined />} onClick={confirmDelete}>
                {t('common.delete')}
              </Button>
            ) : null}
            {editable ? (
              <Button type="primary" icon={<SaveOutlined />} onClick={trySave} loading={create.isPending || update.isPending} disabled={rule !== undefined && !dirty}>
                {t('automation.editor.save')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {rule?.enabled ? <Alert type="info" showIcon title={t('automation.editor.enabledNote')} /> : null}
      {rule && !rule.enabled && dirty ? <Alert type="warning" showIcon title={t('automation.editor.saveBeforeEnable')} /> : null}
      {checkFirst && ownIssues.size > 0 ? <Alert type="error" showIcon title={t('automation.editor.fixErrors')} /> : formError ? <Alert type="error" showIcon title={formError} /> : null}
      {stats.data ? <RunSummary stats={stats.data} /> : null}
      <Form layout="vertical" disabled={disabled}>
        <Card title={t('automation.editor.basics')} size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item label={t('automation.editor.name')} required {...fieldProps(issues, 'name')}>
                <Input {...ruleControlProps(issues, 'name')} value={state.name} count={{ show: true, max: NAME_MAX, strategy: nameLength }} onChange={(e) => {
                    setNameChecked(true);
                    change({ name: e.target.value });
                  }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('automation.editor.property')} {...fieldProps(issues, 'propertyId')}>
                <Select
                  {...ruleControlProps(issues, 'propertyId')}
                  value={state.propertyId ?? 'group'}
                  onChange={(value: string) => change({ propertyId: value === 'group' ? null : value })}
                  options={[...(groupLevel ? [{ value: 'group', label: t('automation.groupWide') }] : []), ...(properties.data ?? []).filter((p) => groupLevel || (me.propertyIds as string[]).includes(p.id)).map((p) => ({ value: p.id, label: p.name }))]}
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('automation.editor.trigger')} size="small" style={{ marginTop: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item label={t('automation.editor.triggerKind')} {...fieldProps(issues, 'trigger.kind')}>
                <Select<AutomationTriggerKind> {...ruleControlProps(issues, 'trigger.kind')} value={trigger.kind} onChange={(kind) => change({ trigger: newTrigger(kind, tagOptions[0]?.value) })} options={AUTOMATION_TRIGGER_KINDS.map((kind) => ({ value: kind, label: t(`automation.triggers.${kind}`) }))} />
              </Form.Item>
            </Col>
            {trigger.kind === 'tag_added' ? (
              <Col xs={24} md={8}>
                <Form.Item label={t('automation.editor.tag')} {...fieldProps(issues, 'trigger.tagId')}>
                  <Select {...ruleControlProps(issues, 'trigger.tagId')} value={trigger.tagId || undefined} showSearch={{ filterOption: filterTagOption }} options={tagOptions} onChange={(tagId: string) => change({ trigger: { kind: 'tag_added', tagId } })} />
                </Form.Item>
              </Col>
            ) : null}
            {'days' in trigger ? (
              <Col xs={12} md={4}>
                <Form.Item label={t('automation.editor.days')} {...fieldProps(issues, 'trigger.days')}>
                  {/* No min or max: antd would move a number out of range into it when the field loses focus. */}
                  <InputNumber<number> {...ruleControlProps(issues, 'trigger.days')} value={trigger.days} onChange={(days) => change({ trigger: { ...trigger, days: days as number } })} />
                </Form.Item>
              </Col>
            ) : null}
            {isTimeTrigger(trigger.kind) && 'hour' in trigger ? (
              <Col xs={12} md={4}>
                <Form.Item label={t('automation.editor.hour')} extra={t('automation.editor.hourHelp')} {...fieldProps(issues, 'trigger.hour')}>
                  <InputNumber<number> {...ruleControlProps(issues, 'trigger.hour')} value={trigger.hour} onChange={(hour) => change({ trigger: { ...trigger, hour: hour as number } as AutomationTrigger })} />
                </Form.Item>
              </Col>
            ) : null}
          </Row>
          <Typography.Text type="secondary">{t(`automation.triggerHelp.${trigger.kind}`)}</Typography.Text>
        </Card>
        <Card title={t('automation.editor.condition')} size="small" style={{ marginTop: 16 }}>
          <Form.Item>
            <Radio.Group aria-label={t('automation.editor.condition')} value={state.conditionKind} optionType="button" onChange={(e) => change({ conditionKind: e.target.value as ConditionKind })} options={(['none', 'segment', 'conditions'] as const).map((value) => ({ value, label: t(`automation.conditionKind.${value}`) }))} />
          </Form.Item>
          {state.conditionKind === 'segment' ? (
            <Form.Item label={t('automation.editor.segment')} {...fieldProps(issues, 'condition.segmentId')}>
              <Select {...ruleControlProps(issues, 'condition.segmentId')} value={state.segmentId} showSearch optionFilterProp="label" onChange={(segmentId: string) => change({ segmentId })} options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
            </Form.Item>
          ) : null}
          {state.conditionKind === 'conditions' ? (
            <div style={disabled ? { pointerEvents: 'none', opacity: 0.7 } : undefined}>
              <SegmentBuilder value={state.conditions} onChange={(conditions) => change({ conditions })} />
            </div>
          ) : null}
        </Card>
        <Card title={t('automation.editor.steps')} size="small" style={{ marginTop: 16 }} {...(issues.get('steps') ? { extra: <Typography.Text type="danger">{issues.get('steps')!.join(' ')}</Typography.Text> } : {})}>
          <Flex vertical gap={12}>
            {state.steps.map((step, index) => (
              <StepCard
                key={index}
                index={index}
                count={state.steps.length}
                step={step}
                stats={stats.data?.steps[index]}
                issues={issues}
                disabled={disabled}
                tagOptions={tagOptions}
                sendSteps={sendSteps.filter((i) => i < index)}
                onChange={(next) => setStep(index, next)}
                onMove={(delta) => setSteps((steps) => moveStep(steps, index, index + delta))}
                onRemove={() => setSteps((steps) => removeStep(steps, index))}
                messageContext={{ images, onUploaded: (image) => setImages((current) => new Map(current).set(image.id, image)), buttonTags, issues, disabled, pathPrefix: `steps.${index}.` }}
                preview={step.kind === 'send' ? <LinePreview items={previewOf(step.messages, { images: previewImages, tagNames, sample: sampleGuestFor(i18n.language) })} accountName={me.tenant.name} /> : null}
              />
            ))}
            {editable ? (
              <Dropdown
                // On click, as the campaign editor's: a hover menu closed when the page moved under the pointer.
                trigger={['click']}
                menu={{
                  // "Only tappers go on" needs a send step before it; a step tagging members needs the tags permission
                  // (the server refuses it otherwise: nobody grants through a rule what they may not do by hand).
                  items: AUTOMATION_STEP_KINDS.map((kind) => ({
                    key: kind,
                    label: t(`automation.stepKinds.${kind}`),
                    disabled: (kind === 'if_clicked' && sendSteps.length === 0) || ((kind === 'add_tag' || kind === 'remove_tag') && !can('tags.edit')),
                  })),
                  onClick: ({ key }) => setSteps((steps) => [...steps, newStep(key as AutomationStepKind, tagOptions[0]?.value, sendSteps.at(-1) ?? 0)]),
                }}
              >
                <Button icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }}>
                  {t('automation.editor.addStep')}
                </Button>
              </Dropdown>
            ) : null}
          </Flex>
        </Card>
      </Form>
    </Flex>
  );
}

/** Who entered and where they are now. */
function RunSummary({ stats }: { stats: AutomationStats }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" bordered column={{ xs: 2, md: 6 }} data-testid="automation-run-summary">
      <Descriptions.Item label={t('automation.stats.entered')}>{stats.entered.toLocaleString()}</Descriptions.Item>
      {(['waiting', 'running', 'completed', 'exited', 'failed'] as const).map((status) => (
        <Descriptions.Item key={status} label={t(`automation.runStatus.${status}`)}>
          {(stats.byStatus[status] ?? 0).toLocaleString()}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

type StepCardProps = {
  index: number;
  count: number;
  step: StepDraft;
  stats: AutomationStats['steps'][number] | undefined;
  issues: Issues;
  disabled: boolean;
  tagOptions: Array<{ value: string; label: string }>;
  sendSteps: number[];
  onChange: (next: StepDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  messageContext: MessageEditorContext;
  preview: React.ReactNode;
};

function StepCard({ index, count, step, stats, issues, disabled, tagOptions, sendSteps, onChange, onMove, onRemove, messageContext, preview }: StepCardProps) {
  const { t } = useTranslation();
  const path = `steps.${index}`;
  // 略過 3（未同意接收行銷訊息 2、無此標籤 1）: the reasons are codes said in the staff's words and punctuation.
  const skippedText = (counts: { skipped: number; skippedByReason: Record<string, number> }) => {
    const reasons = Object.entries(counts.skippedByReason).map(([reason, n]) => t('automation.stats.reasonCount', { reason: t(`automation.skipReasons.${reason}`, { defaultValue: t('automation.skipReasons.other') }), n }));
    return reasons.length > 0 ? t('automation.stats.skippedWhy', { n: counts.skipped, reasons: reasons.join(t('members.listSeparator')) }) : t('automation.stats.skipped', { n: counts.skipped });
  };
  return (
    <Card
      size="small"
      type="inner"
      data-testid={`automation-step-${index}`}
      title={`${index + 1}. ${t(`automation.stepKinds.${step.kind}`)}`}
      extra={
        disabled ? null : (
          <Space>
            <Button size="small" icon={<ArrowUpOutlined />} aria-label={t('automation.editor.moveUp')} disabled={index === 0} onClick={() => onMove(-1)} />
            <Button size="small" icon={<ArrowDownOutlined />} aria-label={t('automation.editor.moveDown')} disabled={index === count - 1} onClick={() => onMove(1)} />
            <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('automation.editor.removeStep')} disabled={count === 1} onClick={onRemove} />
          </Space>
        )
      }
    >
      {stats ? (
        <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid={`automation-step-stats-${index}`}>
          <Tag color="green">{t('automation.stats.completed', { n: stats.completed })}</Tag>
          {stats.waiting > 0 ? <Tag color="blue">{t('automation.stats.waiting', { n: stats.waiting })}</Tag> : null}
          {stats.skipped > 0 ? <Tag>{skippedText(stats)}</Tag> : null}
          {stats.failed > 0 ? <Tag color="red">{t('automation.stats.failed', { n: stats.failed })}</Tag> : null}
          {step.kind === 'send' ? <Tag color="purple">{t('automation.stats.clicked', { n: stats.clicked })}</Tag> : null}
          {step.kind === 'send' && stats.linkClicks > 0 ? <Tag color="purple">{t('automation.stats.linkClicks', { n: stats.linkClicks })}</Tag> : null}
        </Flex>
      ) : null}
      {step.kind === 'send' ? (
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Flex vertical gap={8}>
              {step.messages.map((m, i) => (
                <MessageEditor
                  key={i}
                  index={i}
                  count={step.messages.length}
                  message={m}
                  context={messageContext}
                  onChange={(next) => onChange({ ...step, messages: step.messages.map((x, j) => (j === i ? next : x)) })}
                  onMove={(delta) => {
                    const messages = [...step.messages];
                    const [moved] = messages.splice(i, 1);
                    messages.splice(i + delta, 0, moved!);
                    onChange({ ...step, messages });
                  }}
                  onRemove={() => onChange({ ...step, messages: step.messages.filter((_, j) => j !== i) })}
                />
              ))}
              {!disabled && step.messages.length < 5 ? (
                <Dropdown trigger={['click']} menu={{ items: MESSAGE_TYPES.map((type) => ({ key: type, label: t(`campaigns.editor.messageTypes.${type}`) })), onClick: ({ key }) => onChange({ ...step, messages: [...step.messages, newMessage(key as MessageDraft['type'])] }) }}>
                  <Button icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }}>
                    {t('automation.editor.addMessage')}
                  </Button>
                </Dropdown>
              ) : null}
              {issues.get(`${path}.messages`) ? <Typography.Text type="danger">{issues.get(`${path}.messages`)!.join(' ')}</Typography.Text> : null}
            </Flex>
          </Col>
          <Col xs={24} lg={10}>
            {preview}
          </Col>
        </Row>
      ) : null}
      {step.kind === 'add_tag' || step.kind === 'remove_tag' || step.kind === 'if_tagged' ? (
        <Form.Item label={t('automation.editor.tag')} {...fieldProps(issues, `${path}.tagId`)} style={{ marginBottom: 0 }}>
          <Select {...ruleControlProps(issues, `${path}.tagId`)} value={step.tagId || undefined} showSearch={{ filterOption: filterTagOption }} options={tagOptions} onChange={(tagId: string) => onChange({ ...step, tagId })} style={{ maxWidth: 320 }} />
        </Form.Item>
      ) : null}
      {step.kind === 'wait' ? (
        <Form.Item label={t('automation.editor.waitAmount')} {...fieldProps(issues, `${path}.amount`)} style={{ marginBottom: 0 }}>
          <Space>
            <InputNumber<number> {...ruleControlProps(issues, `${path}.amount`)} value={step.amount} onChange={(amount) => onChange({ ...step, amount: amount as number })} />
            <Select aria-label={t('automation.editor.waitUnit')} value={step.unit} onChange={(unit: 'hours' | 'days') => onChange({ ...step, unit })} options={(['hours', 'days'] as const).map((unit) => ({ value: unit, label: t(`automation.units.${unit}`) }))} style={{ width: 100 }} />
          </Space>
        </Form.Item>
      ) : null}
      {step.kind === 'if_clicked' ? (
        <Form.Item label={t('automation.editor.clickedStep')} {...fieldProps(issues, `${path}.step`)} style={{ marginBottom: 0 }}>
          <Select {...ruleControlProps(issues, `${path}.step`)} value={step.step} onChange={(target: number) => onChange({ ...step, step: target })} options={sendSteps.map((i) => ({ value: i, label: t('automation.editor.stepNumber', { n: i + 1 }) }))} style={{ maxWidth: 320 }} />
        </Form.Item>
      ) : null}
      {step.kind === 'if_clicked' || step.kind === 'if_tagged' ? <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>{t(`automation.stepHelp.${step.kind}`)}</Typography.Paragraph> : null}
    </Card>
  );
}
