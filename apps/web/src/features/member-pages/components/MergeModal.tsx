import { Alert, App, Empty, Flex, Modal, Radio, Select, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import type { Property } from '../../properties/index.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { fullName, type Member, MERGEABLE_FIELDS, type MergeableField, type MergeChoices, useMember, useMemberLabels, useMemberSearch, useMergeMembers } from '../../members/index.ts';

type Props = { member: Member; properties: Property[]; open: boolean; onClose: () => void; onMerged: (member: Member) => void };

/** A field's value for comparison; '' when the record has none. */
function valueOf(member: Member, field: MergeableField, labels: ReturnType<typeof useMemberLabels>, properties: Property[], yesNo: (value: boolean) => string): string {
  switch (field) {
    case 'propertyId':
      return member.propertyId ? (properties.find((property) => property.id === member.propertyId)?.name ?? '…') : '';
    case 'gender':
      return member.gender === 'unknown' ? '' : labels.gender(member.gender);
    case 'preferredLanguage':
      return labels.language(member.preferredLanguage);
    case 'identity':
      return member.identity ? `${labels.identityType(member.identity.type)} ${member.identity.masked}` : '';
    case 'marketingOptIn':
      return yesNo(member.marketingOptIn);
    case 'line':
      return member.line.userId ? `${member.line.displayName ?? 'LINE'} (${labels.lineStatus(member.line.status)})` : '';
    case 'birthday':
    case 'email':
    case 'mobile':
      return member[field] ?? '';
    default:
      return member[field];
  }
}


/**
 * Merge a duplicate record of the same guest into this one: find the other member, compare the two field by field,
 * choose which value stays, confirm.
 */
export function MergeModal({ member, properties, open, onClose, onMerged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useMemberLabels();
  const [query, setQuery] = useState('');
  const [otherId, setOtherId] = useState<string>();
  const [choices, setChoices] = useState<MergeChoices>({});
  const [error, setError] = useState<string>();
  const q = useDebounced(query.trim(), 300);
  const results = useMemberSearch({ q, sort: 'recent', page: 1, pageSize: 10 }, { enabled: open && q.length > 0 });
  // Only while the dialog is open: a merged-away record no longer exists, and must not be refetched afterwards.
  const other = useMember(open ? otherId : undefined);
  const merge = useMergeMembers();

  const yesNo = (value: boolean) => (value ? t('members.optIn.yes') : t('members.optIn.no'));
  const value = (record: Member, field: MergeableField) => valueOf(record, field, labels, properties, yesNo);
  /** The person's choice, else: keep this record's value, unless it has none and the other record has one. */
  const choiceOf = (field: MergeableField): 'keep' | 'merged' =>
    choices[field] ?? (other.data && value(member, field) === '' && value(other.data, field) !== '' ? 'merged' : 'keep');

  useEffect(() => {
    if (!open) return;
    setQuery('');
    setOtherId(undefined);
    setChoices({});
    setError(undefined);
  }, [open]);

  const submit = () => {
    if (!otherId) {
      setError(t('members.merge.chooseOther'));
      return;
    }
    setError(undefined);
    merge.mutate(
      { id: member.id, mergedMemberId: otherId, choices: Object.fromEntries(MERGEABLE_FIELDS.map((field) => [field, choiceOf(field)])) as MergeChoices },
      {
        onSuccess: (merged) => {
          void message.success(t('members.merge.done', { memberNo: other.data?.memberNo ?? '' }));
          onMerged(merged);
        },
        onError: (failure) => setError(errorMessageOf(failure)),
      },
    );
  };

  const options = (results.data?.data ?? [])
    .filter((candidate) => candidate.id !== member.id)
    .map((candidate) => ({
      value: candidate.id,
      label: [candidate.memberNo, fullName(candidate) || candidate.lineDisplayName || t('members.noName'), candidate.mobile ?? candidate.email ?? ''].filter(Boolean).join(' · '),
    }));

  type Row = { field: MergeableField; keep: string; merged: string };
  const rows: Row[] = other.data ? MERGEABLE_FIELDS.map((field) => ({ field, keep: value(member, field), merged: value(other.data, field) })) : [];
  const cell = (row: Row, side: 'keep' | 'merged'): ReactNode => {
    const text = row[side];
    return (
      <Radio
        checked={choiceOf(row.field) === side}
        onChange={() => setChoices((previous) => ({ ...previous, [row.field]: side }))}
        aria-label={t(side === 'keep' ? 'members.merge.keepField' : 'members.merge.takeField', { field: labels.field(row.field) })}
      >
        {text ? <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{text.length > 80 ? `${text.slice(0, 80)}…` : text}</span> : <Typography.Text type="secondary">{t('members.merge.empty')}</Typography.Text>}
      </Radio>
    );
  };
  const columns: TableColumnsType<Row> = [
    { title: t('members.merge.field'), dataIndex: 'field', width: 130, render: (field: MergeableField) => labels.field(field) },
    { title: t('members.merge.keepColumn', { memberNo: member.memberNo }), key: 'keep', render: (_, row) => cell(row, 'keep') },
    { title: t('members.merge.takeColumn', { memberNo: other.data?.memberNo ?? '' }), key: 'merged', render: (_, row) => cell(row, 'merged') },
  ];

  return (
    <Modal
      open={open}
      title={t('members.merge.title', { memberNo: member.memberNo })}
      okText={t('members.merge.confirm')}
      okButtonProps={{ danger: true, disabled: !other.data }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={merge.isPending}
      width={860}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('members.merge.intro')}
        </Typography.Paragraph>
        <Select<string>
          aria-label={t('members.merge.searchLabel')}
          placeholder={t('members.merge.searchPlaceholder')}
          showSearch={{ filterOption: false, onSearch: setQuery, searchValue: query }}
          value={otherId}
          onChange={(id) => {
            setOtherId(id);
            setChoices({});
          }}
          options={options}
          loading={results.isFetching}
          notFoundContent={q.length === 0 ? t('members.merge.typeToSearch') : results.isFetching ? <Skeleton.Input active size="small" /> : t('members.merge.noResults')}
          style={{ width: '100%' }}
          data-testid="merge-search"
        />
        {results.isError ? <QueryErrorAlert error={results.error} /> : null}
        {otherId && other.isPending ? <Skeleton active /> : null}
        {other.isError ? <QueryErrorAlert error={other.error} onRetry={() => void other.refetch()} /> : null}
        {other.data ? (
          <>
            <Flex gap={8} wrap>
              <Tag color="green">{t('members.merge.staysTag', { memberNo: member.memberNo })}</Tag>
              <Tag color="red">{t('members.merge.goesTag', { memberNo: other.data.memberNo })}</Tag>
            </Flex>
            <Table<Row> rowKey="field" size="small" columns={columns} dataSource={rows} pagination={false} data-testid="merge-compare" />
            <Alert type="warning" showIcon title={t('members.merge.warning', { memberNo: other.data.memberNo, keep: member.memberNo })} />
          </>
        ) : !otherId ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.merge.noneChosen')} />
        ) : null}
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Flex>
    </Modal>
  );
}
