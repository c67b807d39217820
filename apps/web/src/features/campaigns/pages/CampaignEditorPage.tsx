import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { LINE_LIMITS, nameLength } from '@innkeeper/contracts';
import { Alert, App, Button, Card, Col, DatePicker, Dropdown, Flex, Form, Input, Result, Row, Select, Skeleton, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorResult } from '../../../components/QueryErrorResult.tsx';
import { isApiError } from '../../../lib/api-error.ts';
import { useProperties } from '../../properties/index.ts';
import { useSegments } from '../../segments/index.ts';
import { EMPTY_DEFINITION, fullName, incompleteKeys, toDefinition, toDraft, type DraftGroup } from '../../members/index.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { filterTagOption, useTags } from '../../tags/index.ts';
import { useCampaign, useCreateCampaign, useDeleteCampaign, useEstimate, useUpdateCampaign, type EstimateRequest } from '../api.ts';
import { AudiencePicker, EstimatePanel, type AudienceKind } from '../components/AudiencePicker.tsx';
import { CampaignClicks } from '../components/CampaignClicks.tsx';
import { controlProps, controlPropsFor, fieldId, fieldProps, issueProps, listControlProps, listIssueProps, NAME_MAX, nameIssue } from '../components/field-issues.ts';
import { useButtonTags } from '../components/use-button-tags.ts';
import { useDraftSave } from '../components/use-draft-save.ts';
import { LinePreview } from '../components/LinePreview.tsx';
import { MessageEditor, type MessageEditorContext } from '../components/MessageEditor.tsx';
import { SchedulePanel } from '../components/SchedulePanel.tsx';
import { TestSendCard } from '../components/TestSendCard.tsx';
import { STATUS_COLORS } from '../labels.ts';
import { MESSAGE_TYPES, newMessage, toRequestMessages, withButtonTags, withoutButtonTags, type Campaign, type CampaignAudience, type CampaignImage, type CampaignInput, type MessageDraft } from '../messages.ts';
import { imagePath, previewOf, sampleGuestFor } from '../preview.ts';

export function CampaignEditorPage() {
  const { campaignId } = useParams();
  // Moving from one campaign to another (or to "new") starts a fresh editor.
  return <CampaignLoader key={campaignId ?? 'new'} campaignId={campaignId} />;
}

function CampaignLoader({ campaignId }: { campaignId: string | undefined }) {
  const { t } = useTranslation();
  const campaign = useCampaign(campaignId);
  if (!campaignId) return <Editor campaign={undefined} />;
  if (campaign.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (campaign.isError) {
    if (isApiError(campaign.error) && campaign.error.code === 'campaign.not_found') {
      return <Result status="404" title={t('campaigns.notFound')} extra={<Link to="/campaigns">{t('campaigns.backToList')}</Link>} />;
    }
    return <QueryErrorResult error={campaign.error} onRetry={() => void campaign.refetch()} />;
  }
  // A saved change comes back as a new version: the editor starts again from it (with the ids the server gave buttons).
  return <Editor key={campaign.data.version + campaign.data.status} campaign={campaign.data} />;
}

type State = {
  name: string;
  propertyId: string | null;
  startsOn: string | null;
  endsOn: string | null;
  tagIds: string[];
  messages: MessageDraft[];
  audienceKind: AudienceKind;
  segmentId: string | undefined;
  conditions: DraftGroup;
  holdoutPercent: number;
};

function initialState(campaign: Campaign | undefined, defaultProperty: string | null): State {
  const audience = campaign?.audience ?? { kind: 'all' as const };
  return {
    name: campaign?.name ?? '',
    propertyId: campaign ? campaign.propertyId : defaultProperty,
    startsOn: campaign?.startsOn ?? null,
    endsOn: campaign?.endsOn ?? null,
    tagIds: campaign?.tagIds ?? [],
    messages: campaign?.messages ?? [],
    audienceKind: audience.kind,
    segmentId: audience.kind === 'segment' ? audience.segmentId : undefined,
    conditions: toDraft(audience.kind === 'conditions' ? audience.definition : EMPTY_DEFINITION),
    holdoutPercent: campaign?.holdoutPercent ?? 0,
  };
}

function audienceOf(state: State): CampaignAudience {
  if (state.audienceKind === 'segment') return { kind: 'segment', segmentId: state.segmentId ?? '' };
  if (state.audienceKind === 'conditions') return { kind: 'conditions', definition: toDefinition(state.conditions) };
  return { kind: 'all' };
}

function inputOf(state: State): CampaignInput {
  return {
    name: state.name,
    propertyId: state.propertyId,
    startsOn: state.startsOn,
    endsOn: state.endsOn,
    tagIds: state.tagIds,
    messages: toRequestMessages(state.messages),
    audience: audienceOf(state),
    holdoutPercent: state.holdoutPercent,
  };
}

/** The campaign builder: basics, one to five messages with a live LINE preview, audience with its estimate, approval. */
function Editor({ campaign }: { campaign: Campaign | undefined }) {
  const { t, i18n } = useTranslation();
  const { me, can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const tags = useTags();
  // Read again when staff come back to this tab: the audience picker's 新增分眾 opens the segment page in another one,
  // so a draft is not lost to make a segment (browser review), and the new segment is offered on return.
  const segments = useSegments({ refetchOnWindowFocus: true });
  const properties = useProperties();
  const create = useCreateCampaign();
  const update = useUpdateCampaign();
  const remove = useDeleteCampaign();
  const groupLevel = me.propertyIds === 'all';
  const [state, setState] = useState<State>(() => initialState(campaign, groupLevel ? null : (me.propertyIds as string[])[0] ?? null));
  const [images, setImages] = useState<Map<string, CampaignImage>>(() => new Map((campaign?.images ?? []).map((image) => [image.id, image])));

  const editable = campaign ? campaign.may.edit : can('campaigns.edit');
  const disabled = !editable;
  const input = useMemo(() => inputOf(state), [state]);
  const { dirty, save, issues: serverIssues, formError } = useDraftSave({
    input,
    initialInput: () => inputOf(initialState(campaign, groupLevel ? null : (me.propertyIds as string[])[0] ?? null)),
    existing: campaign,
    create: (body) => create.mutateAsync(body),
    update: (body) => update.mutateAsync(body),
    pathOf: (id) => `/campaigns/${id}`,
    savedText: () => t('campaigns.editor.saved', { name: state.name }),
    fixErrorsText: t('campaigns.editor.fixErrors'),
  });
  const change = (patch: Partial<State>) => setState((current) => ({ ...current, ...patch }));
  // A name of only spaces is said at the field before sending, once staff typed in it or tried to save (browser review:
  // only the server caught it).
  const [nameChecked, setNameChecked] = useState(false);
  // Past the limit is said while typing too (the tag form's way), with the field marked invalid, not only the counter.
  const nameMessage = nameIssue(state.name, nameChecked, t);
  const issues = useMemo(() => (nameMessage ? new Map([...serverIssues, ['name', [nameMessage]]]) : serverIssues), [serverIssues, nameMessage]);
  const nameRefused = nameIssue(state.name, true, t) !== undefined;
  // The period's issue (its last day before its first) concerns both of its inputs.
  const { id: _periodId, ...periodAria } = controlPropsFor(fieldId('endsOn'), issues.get('endsOn') ?? []);
  const [checkFirst, setCheckFirst] = useState(false);
  const trySave = () => {
    setNameChecked(true);
    setCheckFirst(nameRefused);
    if (!nameRefused) void save();
  };

  // The period's value keeps its identity between renders: the picker takes a new value as an outside change and
  // drops a first day picked but not yet committed (it commits both days together), so any re-render between the two
  // clicks (the estimate answering, the preview) emptied the first day (browser review).
  const period = useMemo<[Dayjs | null, Dayjs | null]>(() => [state.startsOn ? dayjs(state.startsOn) : null, state.endsOn ? dayjs(state.endsOn) : null], [state.startsOn, state.endsOn]);
  const buttonTags = useButtonTags();
  const tagNames = useMemo(() => new Map((tags.data ?? []).map((tag) => [tag.id, tag.name])), [tags.data]);

  const audienceReady = state.audienceKind === 'all' || (state.audienceKind === 'segment' ? Boolean(state.segmentId) : incompleteKeys(state.conditions).length === 0);
  // Before it goes out: a campaign sending or sent shows its results, not what sending it again today would reach.
  const beforeSending = !campaign || campaign.status === 'draft' || campaign.status === 'scheduled';
  const estimateBody = useDebounced<EstimateRequest | undefined>(audienceReady && beforeSending ? { propertyId: state.propertyId, audience: input.audience, holdoutPercent: state.holdoutPercent, messages: input.messages } : undefined, 400);
  const estimate = useEstimate(estimateBody);

  const preview = previewOf(state.messages, {
    images: new Map([...images.values()].map((image) => [image.id, { src: imagePath(image.url), width: image.width, height: image.height }])),
    tagNames,
    sample: sampleGuestFor(i18n.language),
  });

  const context: MessageEditorContext = {
    images,
    onUploaded: (image) => setImages((current) => new Map(current).set(image.id, image)),
    buttonTags,
    issues,
    disabled,
  };

  // A tag chosen on a button is one of the campaign's from then on (the server keeps the same union).
  // Each change applies to the messages as they are when React runs it, not as this render saw them: a change that
  // lands late (a button's new tag, made on the server) must not undo one made meanwhile.
  const setMessages = (update: (messages: MessageDraft[]) => MessageDraft[]) =>
    setState((current) => {
      const messages = update(current.messages);
      return { ...current, messages, tagIds: withButtonTags(current.tagIds, messages) };
    });
  // A tag taken off the campaign is taken off its buttons too (else saving would give it back through them).
  const setCampaignTags = (tagIds: string[]) =>
    setState((current) => ({ ...current, tagIds, messages: withoutButtonTags(current.messages, current.tagIds.filter((id) => !tagIds.includes(id))) }));

  const confirmDelete = () =>
    campaign &&
    modal.confirm({
      title: t('campaigns.editor.deleteConfirm', { name: campaign.name }),
      okButtonProps: { danger: true },
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      onOk: () =>
        remove
          .mutateAsync(campaign.id)
          .then(() => {
            void message.success(t('campaigns.editor.deleted'));
            void navigate('/campaigns');
          })
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const readOnlyReason = campaign && !editable ? (campaign.status !== 'draft' ? t('campaigns.editor.readOnly', { status: t(`campaigns.status.${campaign.status}`) }) : !can('campaigns.edit') ? t('campaigns.editor.readOnlyNoPermission') : t('campaigns.editor.readOnlyScope')) : undefined;

  // Approval for a draft, after the campaign it describes; the progress of a send or the results of one done, and its
  // clicks, first: once it has gone out that is what staff open it for, not the read-only builder (browser review: the
  // results started 2,700 px down at 1366 px wide).
  const outcome = campaign ? (
    <>
      {/* Named for what it shows now: approval for a draft, the progress of a send, the results of one done. */}
      <Card title={t(`campaigns.schedule.titleByStatus.${campaign.status}`)} size="small" data-testid="schedule-card">
        <SchedulePanel campaign={campaign} dirty={dirty} estimate={audienceReady ? estimate.data : undefined} />
      </Card>
      <CampaignClicks campaign={campaign} tagNames={tagNames} />
    </>
  ) : null;

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center" wrap>
            <Link to="/campaigns" aria-label={t('campaigns.backToList')}>
              <ArrowLeftOutlined />
            </Link>
            {campaign ? campaign.name : t('campaigns.editor.newTitle')}
            {campaign ? <Tag color={STATUS_COLORS[campaign.status]}>{t(`campaigns.status.${campaign.status}`)}</Tag> : null}
          </Flex>
        }
        extra={
          editable ? (
            <Flex gap={8} align="center">
              {dirty ? <Typography.Text type="warning">{t('campaigns.editor.unsaved')}</Typography.Text> : null}
              {campaign ? (
                <Button danger icon={<DeleteOutlined />} onClick={confirmDelete}>
                  {t('campaigns.editor.delete')}
                </Button>
              ) : null}
              <Button type="primary" icon={<SaveOutlined />} loading={create.isPending || update.isPending} disabled={campaign !== undefined && !dirty} onClick={trySave}>
                {t('campaigns.editor.save')}
              </Button>
            </Flex>
          ) : undefined
        }
      />
      {readOnlyReason ? <Alert type="info" showIcon title={readOnlyReason} style={{ marginBottom: 16 }} /> : null}
      {checkFirst && nameRefused ? <Alert type="error" showIcon role="alert" title={t('campaigns.editor.fixErrors')} style={{ marginBottom: 16 }} /> : formError ? <Alert type="error" showIcon role="alert" title={formError} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Form layout="vertical" component="div">
            <Flex vertical gap={16}>
              {beforeSending ? null : outcome}
              <Card title={t('campaigns.editor.basics')} size="small">
                <Form.Item label={t('campaigns.editor.name')} required {...fieldProps(issues, 'name')}>
                  <Input {...controlProps(issues, 'name')} value={state.name} count={{ show: true, max: NAME_MAX, strategy: nameLength }} disabled={disabled} onChange={(e) => {
                      setNameChecked(true);
                      change({ name: e.target.value });
                    }}
                    data-testid="campaign-name"
                  />
                </Form.Item>
                <Flex gap={16} wrap>
                  <Form.Item label={t('campaigns.editor.property')} extra={t('campaigns.editor.propertyHelp')} style={{ flex: '1 1 220px' }} {...fieldProps(issues, 'propertyId')}>
                    <Select<string>
                      {...controlProps(issues, 'propertyId')}
                      value={state.propertyId ?? ''}
                      disabled={disabled}
                      onChange={(value) => change({ propertyId: value === '' ? null : value })}
                      options={[...(groupLevel || state.propertyId === null ? [{ value: '', label: t('campaigns.groupWide') }] : []), ...(properties.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
                    />
                  </Form.Item>
                  <Form.Item label={t('campaigns.editor.period')} style={{ flex: '1 1 260px' }} {...issueProps(issues, 'endsOn', fieldId('endsOn'))}>
                    {/* One visible label for two inputs: each has its own (browser review: they were named by their placeholders only). */}
                    <label htmlFor={fieldId('startsOn')} className="visually-hidden">
                      {t('campaigns.editor.periodStart')}
                    </label>
                    <label htmlFor={fieldId('endsOn')} className="visually-hidden">
                      {t('campaigns.editor.periodEnd')}
                    </label>
                    <DatePicker.RangePicker
                      id={{ start: fieldId('startsOn'), end: fieldId('endsOn') }}
                      {...periodAria}
                      allowEmpty={[true, true]}
                      disabled={disabled}
                      value={period}
                      onChange={(range) => change({ startsOn: range?.[0]?.format('YYYY-MM-DD') ?? null, endsOn: range?.[1]?.format('YYYY-MM-DD') ?? null })}
                    />
                  </Form.Item>
                </Flex>
                <Form.Item label={t('campaigns.editor.tags')} extra={t('campaigns.editor.tagsHelp')} htmlFor={fieldId('tagIds')} {...listIssueProps(issues, 'tagIds', fieldId('tagIds'))}>
                  <Select
                    {...listControlProps(issues, 'tagIds')}
                    mode="multiple"
                    value={state.tagIds}
                    disabled={disabled}
                    loading={tags.isPending}
                    // By name as the server compares it (「ｓｐｒｉｎｇ」 finds 「Spring2027」), as the buttons' pickers do.
                    showSearch={{ filterOption: filterTagOption }}
                    onChange={setCampaignTags}
                    // Activity tags only (a tap gives no basic member tag such as VIP; the server refuses one); a basic
                    // tag chosen before this rule is shown by name, to be removed.
                    options={(tags.data ?? []).filter((tag) => tag.kind === 'campaign' || state.tagIds.includes(tag.id)).map((tag) => ({ value: tag.id, label: tag.name }))}
                    // No tags at all: say where they come from instead of antd's bare 暫無資料.
                    notFoundContent={
                      tags.data && !tags.data.some((tag) => tag.kind === 'campaign') ? (
                        <Typography.Text type="secondary" data-testid="campaign-tags-empty">
                          {t('campaigns.editor.noTags')} <Link to="/tags">{t('campaigns.editor.noTagsLink')}</Link>
                        </Typography.Text>
                      ) : undefined
                    }
                    data-testid="campaign-tags"
                  />
                </Form.Item>
              </Card>

              <Card title={t('campaigns.editor.messages')} size="small" extra={<Typography.Text type="secondary">{state.messages.length} / {LINE_LIMITS.messagesPerRequest}</Typography.Text>}>
                <Typography.Paragraph type="secondary">{t('campaigns.editor.messagesHelp')}</Typography.Paragraph>
                {issues.get('messages') ? <Alert type="error" showIcon title={issues.get('messages')!.join(' ')} style={{ marginBottom: 12 }} /> : null}
                <Flex vertical gap={12}>
                  {state.messages.map((m, i) => (
                    <MessageEditor
                      key={i}
                      index={i}
                      count={state.messages.length}
                      message={m}
                      context={context}
                      onChange={(next) => setMessages((messages) => messages.map((x, j) => (j === i ? next : x)))}
                      onRemove={() => setMessages((messages) => messages.filter((_, j) => j !== i))}
                      onMove={(delta) =>
                        setMessages((messages) => {
                          const next = [...messages];
                          [next[i], next[i + delta]] = [next[i + delta]!, next[i]!];
                          return next;
                        })
                      }
                    />
                  ))}
                  {state.messages.length < LINE_LIMITS.messagesPerRequest && !disabled ? (
                    // Opens on click, not hover: a hover menu closed as soon as the page moved under the pointer (a scroll
                    // to reach an item below the fold, or the editors above growing), and the item then lay under the
                    // closing menu's transparent layer. A click menu stays open until an item is chosen or Esc.
                    <Dropdown trigger={['click']} menu={{ items: MESSAGE_TYPES.map((type) => ({ key: type, label: t(`campaigns.editor.messageTypes.${type}`) })), onClick: ({ key }) => setMessages((messages) => [...messages, newMessage(key as MessageDraft['type'])]) }}>
                      <Button icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }} data-testid="add-message">
                        {t('campaigns.editor.addMessage')}
                      </Button>
                    </Dropdown>
                  ) : null}
                  {state.messages.some((m) => m.type === 'text' && /\{(firstName|lastName|displayName|memberNo)\}/.test(m.text)) ? <Typography.Text type="secondary">{t('campaigns.editor.personalisedHint')}</Typography.Text> : null}
                </Flex>
              </Card>

              <Card title={t('campaigns.audience.title')} size="small">
                <AudiencePicker
                  kind={state.audienceKind}
                  onKindChange={(audienceKind) => change({ audienceKind })}
                  segmentId={state.segmentId}
                  onSegmentChange={(segmentId) => change({ segmentId })}
                  segments={segments.data ?? []}
                  segmentsLoading={segments.isPending}
                  conditions={state.conditions}
                  onConditionsChange={(conditions) => change({ conditions })}
                  holdoutPercent={state.holdoutPercent}
                  onHoldoutChange={(holdoutPercent) => change({ holdoutPercent })}
                  issues={issues}
                  disabled={disabled}
                />
                {beforeSending ? <EstimatePanel estimate={estimate.data} error={estimate.error} loading={estimate.isFetching} audienceKind={estimateBody?.audience.kind} waiting={audienceReady ? undefined : t(state.audienceKind === 'segment' ? 'campaigns.estimate.chooseSegment' : 'campaigns.estimate.finishConditions')} /> : null}
              </Card>

              {beforeSending ? outcome : null}
              {campaign && can('campaigns.edit') ? (
                <Card title={t('campaigns.testSend.title')} size="small">
                  <TestSendCard campaignId={campaign.id} dirty={dirty} />
                </Card>
              ) : null}
            </Flex>
          </Form>
        </Col>
        <Col xs={24} xl={10}>
          <div style={{ position: 'sticky', top: 16 }}>
            <Card title={t('campaigns.preview.title')} size="small">
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('campaigns.preview.sample', { name: fullName(sampleGuestFor(i18n.language)) })}
              </Typography.Paragraph>
              <LinePreview items={preview} accountName={me.tenant.name} />
            </Card>
          </div>
        </Col>
      </Row>
    </>
  );
}
