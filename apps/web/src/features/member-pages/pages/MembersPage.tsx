import { CloseOutlined, DownloadOutlined, FilterOutlined, PlusOutlined, TagsOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Badge, Button, Flex, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { startTransition, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useSegments } from '../../segments/index.ts';
import { audienceOf, conditionCount, MEMBER_SORTS, memberListRequest, type MemberSort, useMemberCount, useMemberFilters, useMemberSearch } from '../../members/index.ts';
import { lazyPart } from '../../../components/lazy-part.tsx';
import type { MemberFormTarget } from '../components/MemberFormDrawer.tsx';
import { MembersTable } from '../components/MembersTable.tsx';
import { MembersTabs } from '../components/MembersTabs.tsx';
import type { TagChangeTarget } from '../components/TagChangeModal.tsx';

/** Chosen rows are tagged with POST /api/tags/:id/members, which takes at most this many. */
const MAX_SELECTION = 1000;

/** The list's dialogs and drawers, closed on the first paint: their own chunk, fetched once the rows are shown. */
const MembersDialogs = lazyPart(() => import('../components/MembersDialogs.tsx').then((module) => module.MembersDialogs));

/** `creating`: opened at /members/new, with the create form already open; closing it leaves for /members. */
export function MembersPage({ creating = false }: { creating?: boolean }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { filters, setFilters } = useMemberFilters();
  const audience = audienceOf(filters);
  const search = useMemberSearch(memberListRequest(filters));
  // The first rows come first: the filters, the count, the dialogs and the requests they make (count, segments, tags,
  // properties, the filter drawer's live count) follow once the rows are on screen, in a transition that staff input
  // may interrupt. Their places keep their height meanwhile, so nothing moves when they arrive.
  const [complete, setComplete] = useState(creating);
  const rowsShown = search.data !== undefined || search.isError;
  useEffect(() => {
    if (rowsShown && !complete) startTransition(() => setComplete(true));
  }, [rowsShown, complete]);
  const count = useMemberCount(audience, { enabled: complete });
  const segments = useSegments({ enabled: complete });
  const [selected, setSelected] = useState<string[]>([]);
  const [filtering, setFiltering] = useState(false);
  const [formTarget, setFormTarget] = useState<MemberFormTarget | undefined>(creating ? { mode: 'create' } : undefined);
  const [exporting, setExporting] = useState(false);
  const [tagTarget, setTagTarget] = useState<TagChangeTarget>();
  const canEdit = can('members.edit');
  const canTag = can('tags.edit');
  const filtered = Boolean(filters.q || filters.segmentId || filters.definition);
  // Chosen rows belong to one audience: a new search, segment or condition set starts a new choice.
  const audienceKey = JSON.stringify(audience);
  useEffect(() => setSelected([]), [audienceKey]);
  const conditions = filters.definition ? conditionCount(filters.definition) : 0;
  const segment = segments.data?.find((candidate) => candidate.id === filters.segmentId);

  const scope = [
    ...(filters.q ? [t('members.scope.search', { q: filters.q })] : []),
    ...(filters.segmentId ? [t('members.scope.segment', { name: segment?.name ?? '…' })] : []),
    ...(filters.definition ? [t('members.scope.conditions', { count: conditions })] : []),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.members')}
        description={t('members.description')}
        extra={
          <Space wrap>
            {canEdit ? (
              <Button icon={<UploadOutlined />} onClick={() => void navigate('/members/import')} data-testid="members-import">
                {t('members.import')}
              </Button>
            ) : null}
            {can('reports.download') ? (
              <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="members-export">
                {t('members.export')}
              </Button>
            ) : null}
            {canEdit ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create' })} data-testid="members-create">
                {t('members.create')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <MembersTabs active="list" />
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center" style={{ minHeight: 32 }}>
          {complete ? (
            <>
              <Input.Search
                key={filters.q ?? ''}
                defaultValue={filters.q}
                allowClear
                aria-label={t('members.search.label')}
                placeholder={t('members.search.placeholder')}
                onSearch={(value) => setFilters({ q: value.trim() || undefined })}
                style={{ width: 300 }}
              />
              <Select<string>
                aria-label={t('members.segmentPicker.label')}
                value={filters.segmentId ?? ''}
                onChange={(value) => setFilters({ segment: value || undefined })}
                loading={segments.isPending}
                style={{ width: 200 }}
                showSearch={{ optionFilterProp: 'label' }}
                options={[{ value: '', label: t('members.segmentPicker.all') }, ...(segments.data ?? []).map((item) => ({ value: item.id, label: item.name }))]}
                popupMatchSelectWidth={false}
              />
              <Badge count={conditions} size="small" color="#0f766e">
                <Button icon={<FilterOutlined />} onClick={() => setFiltering(true)} data-testid="open-filter">
                  {t('members.filter.button')}
                </Button>
              </Badge>
              <Select<MemberSort>
                aria-label={t('members.sort.label')}
                value={filters.sort}
                onChange={(sort) => setFilters({ sort })}
                style={{ width: 170 }}
                options={MEMBER_SORTS.map((sort) => ({ value: sort, label: t('members.sort.option', { sort: t(`members.sort.${sort}`) }) }))}
              />
              {filtered ? (
                <Button type="link" onClick={() => setFilters({ q: undefined, segment: undefined, filter: undefined })}>
                  {t('common.clearFilters')}
                </Button>
              ) : null}
            </>
          ) : null}
        </Flex>

        <Flex gap={8} wrap align="center" justify="space-between" style={{ minHeight: 32 }}>
          <Flex gap={8} wrap align="center">
            <Typography.Text data-testid="member-count" aria-live="polite">
              {count.isError ? (
                <Typography.Text type="danger">{t('members.countFailed')}</Typography.Text>
              ) : count.data === undefined ? (
                t('common.loading')
              ) : filtered ? (
                t('members.countFiltered', { count: count.data })
              ) : (
                t('members.countAll', { count: count.data })
              )}
            </Typography.Text>
            {filters.definition ? (
              <Flex gap={0} align="center">
                <Tag color="blue" closable closeIcon={<CloseOutlined aria-label={t('members.filter.remove')} />} onClose={() => setFilters({ filter: undefined })}>
                  {t('members.scope.conditions', { count: conditions })}
                </Tag>
                <Button type="link" size="small" onClick={() => setFiltering(true)}>
                  {t('members.filter.edit')}
                </Button>
              </Flex>
            ) : null}
          </Flex>
          {canTag ? (
            selected.length > 0 ? (
              <Flex gap={8} wrap align="center" data-testid="selection-bar">
                <Typography.Text strong>{t('members.selection.count', { count: selected.length })}</Typography.Text>
                <Button size="small" icon={<TagsOutlined />} onClick={() => setTagTarget({ kind: 'selection', memberIds: selected, change: 'add' })} disabled={selected.length > MAX_SELECTION}>
                  {t('members.selection.addTag')}
                </Button>
                <Button size="small" onClick={() => setTagTarget({ kind: 'selection', memberIds: selected, change: 'remove' })} disabled={selected.length > MAX_SELECTION}>
                  {t('members.selection.removeTag')}
                </Button>
                <Button size="small" type="link" onClick={() => setSelected([])}>
                  {t('members.selection.clear')}
                </Button>
              </Flex>
            ) : (
              <Tooltip title={t('members.audienceTag.help')}>
                <Button icon={<TagsOutlined />} disabled={!count.data} onClick={() => setTagTarget({ kind: 'audience', audience, count: count.data, change: 'add' })}>
                  {t('members.audienceTag.button')}
                </Button>
              </Tooltip>
            )
          ) : null}
        </Flex>

        {search.isError ? (
          <QueryErrorAlert error={search.error} onRetry={() => void search.refetch()} />
        ) : (
          <MembersTable
            page={search.data}
            total={count.data}
            loading={search.isFetching}
            filtered={filtered}
            // Without personal_data.unmasked the server matches a mobile or e-mail only typed whole (decision 0006): say so.
            emptyHint={filters.q && !can('personal_data.unmasked') ? t('members.searchWholeHint') : undefined}
            timeZone={me.tenant.timezone}
            selectable={canTag}
            selectedIds={selected}
            onSelect={setSelected}
            currentPage={filters.page}
            pageSize={filters.pageSize}
            onPageChange={(page, pageSize) => setFilters({ page, pageSize })}
          />
        )}
      </Flex>

      {complete ? (
        <MembersDialogs
          filter={{
            open: filtering,
            value: filters.definition,
            onClose: () => setFiltering(false),
            onApply: (definition) => {
              setFiltering(false);
              setFilters({ filter: definition });
            },
            onSavedAsSegment: (saved) => {
              setFiltering(false);
              setFilters({ segment: saved.id, filter: undefined });
            },
          }}
          tagChange={{
            target: tagTarget,
            onClose: () => setTagTarget(undefined),
            onDone: () => {
              setTagTarget(undefined);
              setSelected([]);
            },
          }}
          memberForm={{
            target: formTarget,
            onClose: () => {
              setFormTarget(undefined);
              if (creating) void navigate('/members', { replace: true });
            },
            onSaved: (member) => {
              setFormTarget(undefined);
              void message.success(t('members.created', { memberNo: member.memberNo }));
              // From /members/new the new member takes that entry's place, so Back returns to the list, not the empty form.
              void navigate(`/members/${member.id}`, { replace: creating });
            },
          }}
          exporting={{ open: exporting, audience, scope, count: count.data, onClose: () => setExporting(false) }}
        />
      ) : null}
    </>
  );
}
