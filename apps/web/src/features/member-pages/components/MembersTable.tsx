import { Empty, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PlainCheckbox, PlainTag, SecondaryText } from '../../../components/PlainElements.tsx';
import { formatInZone, fromNow } from '../../../lib/datetime.ts';
import { PAGE_SIZES } from '../../../lib/page.ts';
import { TagChips } from '../../tags/index.ts';
import { fullName, type MemberListItem, type MemberSearchPage } from '../../members/index.ts';
import { LineIdentity } from './LineIdentity.tsx';

type Props = {
  page: MemberSearchPage | undefined;
  /** The audience size from /api/members/count; undefined while it loads. */
  total: number | undefined;
  loading: boolean;
  filtered: boolean;
  timeZone: string;
  selectable: boolean;
  selectedIds: string[];
  onSelect: (ids: string[]) => void;
  onPageChange: (page: number, pageSize: number) => void;
  currentPage: number;
  pageSize: number;
};

export function MembersTable({ page, total, loading, filtered, timeZone, selectable, selectedIds, onSelect, onPageChange, currentPage, pageSize }: Props) {
  const { t } = useTranslation();
  const rows = page?.data ?? [];
  // Until the count arrives, the pager knows only whether there is a next page.
  const knownTotal = total ?? (currentPage - 1) * pageSize + rows.length + (page?.hasMore ? 1 : 0);

  const columns: TableColumnsType<MemberListItem> = [
    {
      title: t('members.columns.memberNo'),
      dataIndex: 'memberNo',
      width: 110,
      render: (memberNo: string, member) => (
        <Link to={`/members/${member.id}`} aria-label={t('members.openNamed', { name: fullName(member) || memberNo })}>
          {memberNo}
        </Link>
      ),
    },
    {
      title: t('members.columns.name'),
      key: 'name',
      width: 130,
      render: (_, member) => {
        const name = fullName(member);
        return <Link to={`/members/${member.id}`}>{name || <SecondaryText>{t('members.noName')}</SecondaryText>}</Link>;
      },
    },
    {
      title: t('members.columns.contact'),
      key: 'contact',
      width: 200,
      render: (_, member) =>
        member.mobile || member.email ? (
          <div className="ant-flex ant-flex-align-stretch ant-flex-vertical">
            {member.mobile ? <span className="ant-typography">{member.mobile}</span> : null}
            {member.email ? (
              <SecondaryText ellipsis style={{ maxWidth: 200 }}>
                {member.email}
              </SecondaryText>
            ) : null}
          </div>
        ) : (
          <SecondaryText>—</SecondaryText>
        ),
    },
    {
      title: t('members.columns.line'),
      key: 'line',
      width: 220,
      render: (_, member) => <LineIdentity pictureUrl={member.linePictureUrl} displayName={member.lineDisplayName} status={member.lineStatus} />,
    },
    {
      title: t('members.columns.optIn'),
      dataIndex: 'marketingOptIn',
      width: 90,
      render: (optIn: boolean) => (optIn ? <PlainTag color="green">{t('members.optIn.yes')}</PlainTag> : <PlainTag>{t('members.optIn.no')}</PlainTag>),
    },
    {
      title: t('members.columns.tags'),
      key: 'tags',
      render: (_, member) => <TagChips tags={member.tags} max={3} />,
    },
    {
      title: t('members.columns.lastInteraction'),
      dataIndex: 'lastInteractionAt',
      width: 140,
      render: (value: string | null) =>
        value ? (
          <div className="ant-flex ant-flex-align-stretch ant-flex-vertical">
            <span>{formatInZone(value, timeZone)}</span>
            <SecondaryText style={{ fontSize: 12 }}>{fromNow(value)}</SecondaryText>
          </div>
        ) : (
          <SecondaryText>{t('members.noInteraction')}</SecondaryText>
        ),
    },
  ];

  return (
    <Table<MemberListItem>
      rowKey="id"
      data-testid="members-table"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      scroll={{ x: 1100 }}
      rowSelection={
        selectable
          ? {
              selectedRowKeys: selectedIds,
              preserveSelectedRowKeys: true,
              onChange: (keys) => onSelect(keys.map(String)),
              getCheckboxProps: (member) => ({ 'aria-label': t('members.selectNamed', { name: fullName(member) || member.memberNo }) }),
              // A plain checkbox in antd's look (components/PlainElements.tsx) driven by the table's own handlers:
              // antd's Checkbox on each of 20–100 rows was a good part of the list's rendering.
              renderCell: (checked, _member, _index, node) => {
                const box = node as React.ReactElement<React.ComponentProps<'input'>>;
                return <PlainCheckbox checked={checked} aria-label={box.props['aria-label']} onChange={box.props.onChange} onClick={box.props.onClick} />;
              },
            }
          : undefined
      }
      locale={{ emptyText: <Empty description={filtered ? t('members.emptyFiltered') : t('members.empty')} /> }}
      pagination={{
        current: currentPage,
        pageSize,
        total: knownTotal,
        showSizeChanger: true,
        pageSizeOptions: PAGE_SIZES,
        showTotal: total === undefined ? undefined : (count) => t('members.total', { count }),
        onChange: onPageChange,
      }}
    />
  );
}
