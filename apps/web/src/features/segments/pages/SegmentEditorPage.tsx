import { ArrowLeftOutlined, SaveOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Form, Input, Result, Row, Skeleton, Typography, type FormInstance } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorResult } from '../../../components/QueryErrorResult.tsx';
import { isApiError } from '../../../lib/api-error.ts';
import { placeServerErrors } from '../../../lib/form-errors.ts';
import { nameRules } from '../../../lib/name-rules.ts';
import { i18n } from '../../../lib/i18n.ts';
import { type DraftGroup, EMPTY_DEFINITION, issuesByKey, membersLink, toDefinition, toDraft } from '../../members/index.ts';
import { useCreateSegment, useSegment, useUpdateSegment, type Segment } from '../api.ts';
import { LiveCountPanel } from '../components/LiveCountPanel.tsx';
import { SegmentBuilder } from '../components/SegmentBuilder.tsx';
import { useLiveCount } from '../use-live-count.ts';

export function SegmentEditorPage() {
  const { segmentId } = useParams();
  // Switching from one segment to another (or to "new") starts a fresh editor.
  return <SegmentEditor key={segmentId ?? 'new'} segmentId={segmentId} />;
}

function SegmentEditor({ segmentId }: { segmentId: string | undefined }) {
  const { t } = useTranslation();
  const segment = useSegment(segmentId);
  if (!segmentId) return <Editor segment={undefined} />;
  if (segment.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (segment.isError) {
    if (isApiError(segment.error) && segment.error.code === 'segment.not_found') {
      return <Result status="404" title={t('segments.notFound')} extra={<Link to="/segments">{t('segments.backToList')}</Link>} />;
    }
    return <QueryErrorResult error={segment.error} onRetry={() => void segment.refetch()} />;
  }
  return <Editor segment={segment.data} />;
}

type Values = { name: string; description?: string };
const FIELDS = ['name', 'description', 'definition'] as const;

/** The segment builder page: name, conditions, a live count, save, and a look at the members. */
function Editor({ segment }: { segment: Segment | undefined }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [draft, setDraft] = useState<DraftGroup>(() => toDraft(segment?.definition ?? EMPTY_DEFINITION));
  const [saveIssues, setSaveIssues] = useState<Array<{ path: string; message: string }>>([]);
  const [formError, setFormError] = useState<string>();
  const [triedSave, setTriedSave] = useState(false);
  const live = useLiveCount(draft);
  const create = useCreateSegment();
  const update = useUpdateSegment();
  const canEdit = can('tags.edit');
  // The saved definition as the builder would send it, to tell whether the draft differs.
  const savedJson = useMemo(() => (segment ? JSON.stringify(toDefinition(toDraft(segment.definition))) : ''), [segment]);
  const dirty = !segment || JSON.stringify(live.definition) !== savedJson;

  useEffect(() => {
    form.setFieldsValue({ name: segment?.name ?? '', description: segment?.description ?? '' });
  }, [segment, form]);

  // Save-time issues belong to the definition as it was saved; an edit makes them stale.
  const issues = useMemo(() => {
    const merged = new Map(live.issues);
    for (const [key, messages] of issuesByKey(draft, saveIssues)) merged.set(key, [...(merged.get(key) ?? []), ...messages]);
    return merged;
  }, [live.issues, saveIssues, draft]);

  const change = (next: DraftGroup) => {
    setSaveIssues([]);
    setDraft(next);
  };

  const submit = (values: Values) => {
    setTriedSave(true);
    setFormError(undefined);
    if (live.incomplete.size > 0) {
      setFormError(t('segments.editor.completeFirst'));
      return;
    }
    const input = { name: values.name.trim(), description: (values.description ?? '').trim(), definition: live.definition };
    const onError = (error: unknown) => {
      if (!isApiError(error)) {
        setFormError(i18n.t('errors.unexpected'));
        return;
      }
      const { fieldErrors, unplaced } = placeServerErrors(error, FIELDS);
      (form as FormInstance).setFields(fieldErrors.filter((entry) => entry.name[0] !== 'definition'));
      setSaveIssues(error.issues.filter((issue) => issue.path.startsWith('definition')));
      const definitionProblem = fieldErrors.some((entry) => entry.name[0] === 'definition');
      setFormError(unplaced.length > 0 ? unplaced.join(' ') : definitionProblem ? t('segments.count.invalid') : undefined);
    };
    if (segment) {
      update.mutate({ id: segment.id, ...input }, { onSuccess: (saved) => void message.success(t('segments.saved', { name: saved.name })), onError });
    } else {
      create.mutate(input, {
        onSuccess: (saved) => {
          void message.success(t('segments.saved', { name: saved.name }));
          void navigate(`/segments/${saved.id}`, { replace: true });
        },
        onError,
      });
    }
  };

  const viewMembers = () => void navigate(segment && !dirty ? membersLink({ segmentId: segment.id }) : membersLink({ definition: live.definition }));

  return (
    <>
      <div style={{ marginBottom: 8 }}>
        <Link to="/segments">
          <ArrowLeftOutlined /> {t('segments.backToList')}
        </Link>
      </div>
      <PageHeader title={segment ? t('segments.editTitle', { name: segment.name }) : t('segments.createTitle')} description={t('segments.builder.intro')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card>
            <Form<Values> form={form} name="segment" layout="vertical" onFinish={submit} disabled={!canEdit}>
              <Flex gap={12} wrap>
                <Form.Item name="name" label={t('segments.name')} rules={nameRules(t('validation.required'))} style={{ flex: '1 1 240px' }}>
                  <Input maxLength={100} autoComplete="off" />
                </Form.Item>
                <Form.Item name="description" label={t('segments.descriptionField')} style={{ flex: '2 1 320px' }}>
                  <Input maxLength={500} autoComplete="off" />
                </Form.Item>
              </Flex>
            </Form>
            <SegmentBuilder value={draft} onChange={change} issues={issues} showMissing={triedSave || live.incomplete.size > 0} />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card style={{ position: 'sticky', top: 16 }}>
            <Flex vertical gap={16}>
              <LiveCountPanel live={live} />
              <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                {t('segments.count.help')}
              </Typography.Paragraph>
              <FormErrorAlert message={formError} />
              {canEdit ? (
                <Button type="primary" icon={<SaveOutlined />} onClick={() => form.submit()} loading={create.isPending || update.isPending} block>
                  {segment ? t('segments.update') : t('segments.saveNew')}
                </Button>
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('segments.readOnly', { permission: t('permissions.tags.edit.label') })}
                </Typography.Text>
              )}
              <Button icon={<TeamOutlined />} onClick={viewMembers} disabled={live.incomplete.size > 0} block>
                {t('segments.viewMembers')}
              </Button>
              {segment && dirty ? (
                <Typography.Text type="warning" style={{ fontSize: 12 }}>
                  {t('segments.unsaved')}
                </Typography.Text>
              ) : null}
            </Flex>
          </Card>
        </Col>
      </Row>
    </>
  );
}
