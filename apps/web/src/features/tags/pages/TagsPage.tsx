import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Input, Radio, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { nameKey } from '@innkeeper/contracts';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { withParamChanges } from '../../../lib/search-params.ts';
import { membersLink, tagDefinition } from '../../members/index.ts';
import { useTags, type TagKind, type TagWithCount } from '../api.ts';
import { TagChip } from '../components/TagChips.tsx';
import { TagDeleteModal } from '../components/TagDeleteModal.tsx';
import { TagFormModal, type TagFormTarget } from '../components/TagFormModal.tsx';

type KindFilter = 'all' | TagKind;
const NO_CATEGORY = '__none__';

export function TagsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const tags = useTags();
  const [params, setParams] = useSearchParams();
  const [formTarget, setFormTarget] = useState<TagFormTarget>();
  const [deleting, setDeleting] = useState<TagWithCount>();
  const canEdit = can('tags.edit');

  const kindParam = params.get('kind');
  const kind: KindFilter = kindParam === 'basic' || kindParam === 'campaign' ? kindParam : 'all';
  const category = params.get('category') ?? undefined;
  const q = (params.get('q') ?? '').trim();
  const setFilter = (changes: Record<string, string | undefined>) => setParams((previous) => withParamChanges(previous, changes), { replace: true });

  const all = tags.data ?? [];
  const categories = [...new Set(all.map((tag) => tag.category).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const rows = all.filter(
    (tag) =>
      (kind === 'all' || tag.kind === kind) &&
      (category === undefined || (category === NO_CATEGORY ? tag.category === '' : tag.category === category)) &&
      // In any case and width, as tag names are compared (「vip」 finds 「Ｖｉｐ」).
      (!q || nameKey(`${tag.name} ${tag.category} ${tag.description}`).includes(nameKey(q))),
  );
  const countOf = (value: KindFilter) => all.filter((tag) => value === 'all' || tag.kind === value).length;

  const columns: TableColumnsType<TagWithCount> = [
    {
      title: t('tags.columns.name'),
      key: 'name',
      render: (_, tag) => (
        <Flex vertical gap={2}>
          <Link to={membersLink({ definition: tagDefinition(tag.id) })} aria-label={t('tags.showMembersOf', { name: tag.name })}>
            <TagChip tag={tag} />
          </Link>
          {tag.description ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tag.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { title: t('tags.columns.kind'), dataIndex: 'kind', width: 140, render: (value: TagKind) => <Tag color={value === 'campaign' ? 'purple' : 'cyan'}>{t(`tags.kind.${value}`)}</Tag> },
    {
      title: t('tags.columns.category'),
      dataIndex: 'category',
      width: 140,
      sorter: (a, b) => a.category.localeCompare(b.category),
      render: (value: string) => value || <Typography.Text type="secondary">{t('tags.noCategory')}</Typography.Text>,
    },
    {
      title: t('tags.columns.validity'),
      dataIndex: 'validityDays',
      width: 150,
      render: (value: number | null) => (value ? t('tags.validity', { count: value }) : <Typography.Text type="secondary">{t('tags.noExpiry')}</Typography.Text>),
    },
    {
      title: t('tags.columns.members'),
      dataIndex: 'memberCount',
      width: 130,
      align: 'end',
      sorter: (a, b) => a.memberCount - b.memberCount,
      render: (count: number, tag) => (
        <Link to={membersLink({ definition: tagDefinition(tag.id) })} data-testid="tag-member-count">
          {t('tags.memberCount', { count })}
        </Link>
      ),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            render: (_: unknown, tag: TagWithCount) => (
              <Flex gap={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setFormTarget({ mode: 'edit', tag })} aria-label={t('tags.editNamed', { name: tag.name })}>
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => setDeleting(tag)} aria-label={t('tags.deleteNamed', { name: tag.name })}>
                  {t('common.delete')}
                </Button>
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.tags')}
        description={t('tags.description')}
        extra={
          canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create', kind: kind === 'all' ? undefined : kind })}>
              {t('tags.create')}
            </Button>
          ) : undefined
        }
      />
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center">
          <Radio.Group
            aria-label={t('tags.kindFilter')}
            optionType="button"
            value={kind}
            onChange={(event) => {
              const value = event.target.value as KindFilter;
              setFilter({ kind: value === 'all' ? undefined : value });
            }}
            options={(['all', 'basic', 'campaign'] as const).map((value) => ({
              value,
              label: `${value === 'all' ? t('tags.allKinds') : t(`tags.kind.${value}`)} (${countOf(value)})`,
            }))}
          />
          <Select<string>
            aria-label={t('tags.categoryFilter')}
            value={category ?? ''}
            onChange={(value) => setFilter({ category: value || undefined })}
            style={{ width: 180 }}
            options={[
              { value: '', label: t('tags.allCategories') },
              ...categories.map((value) => ({ value, label: value })),
              ...(all.some((tag) => !tag.category) ? [{ value: NO_CATEGORY, label: t('tags.noCategory') }] : []),
            ]}
          />
          <Input.Search
            key={q}
            defaultValue={q}
            allowClear
            aria-label={t('tags.searchLabel')}
            placeholder={t('tags.searchPlaceholder')}
            onSearch={(value) => setFilter({ q: value.trim() || undefined })}
            style={{ width: 240 }}
          />
        </Flex>
        {tags.isError ? (
          <QueryErrorAlert error={tags.error} onRetry={() => void tags.refetch()} />
        ) : (
          <Table<TagWithCount>
            rowKey="id"
            data-testid="tags-table"
            columns={columns}
            dataSource={rows}
            loading={tags.isPending}
            scroll={{ x: 900 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={all.length === 0 ? t('tags.empty') : t('tags.emptyFiltered')} /> }}
          />
        )}
      </Flex>
      <TagFormModal
        target={formTarget}
        categories={categories}
        onClose={() => setFormTarget(undefined)}
        onSaved={(tag, mode) => {
          setFormTarget(undefined);
          void message.success(mode === 'create' ? t('tags.created', { name: tag.name }) : t('tags.saved', { name: tag.name }));
        }}
      />
      <TagDeleteModal tag={deleting} onClose={() => setDeleting(undefined)} />
    </>
  );
}
