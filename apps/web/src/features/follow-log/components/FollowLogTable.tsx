import { UserOutlined } from '@ant-design/icons';
import { Avatar, Empty, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInZone } from '../../../lib/datetime.ts';
import { PAGE_SIZES } from '../../../lib/page.ts';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import type { FollowLogEntry } from '../api.ts';
import { EVENT_COLORS } from './FollowChart.tsx';

type Props = {
  entries: FollowLogEntry[];
  loading: boolean;
  page: number;
  pageSize: number;
  total: number;
  timeZone: string;
  onPageChange: (page: number, pageSize: number) => void;
};

export function FollowLogTable({ entries, loading, page, pageSize, total, timeZone, onPageChange }: Props) {
  const { t } = useTranslation();
  const columns: TableColumnsType<FollowLogEntry> = [
    { title: t('followLog.columns.time', { zone: timeZone }), dataIndex: 'occurredAt', width: 190, render: (value: string) => formatInZone(value, timeZone, true) },
    {
      title: t('followLog.columns.event'),
      dataIndex: 'event',
      width: 130,
      render: (event: FollowLogEntry['event']) => (
        <Tag color={EVENT_COLORS[event]} data-testid="follow-log-event" data-event={event}>
          {t(`followLog.events.${event}`)}
        </Tag>
      ),
    },
    {
      title: t('followLog.columns.member'),
      key: 'member',
      render: (_, { member }) => {
        const picture = displayableImageUrl(member.linePictureUrl);
        return (
          <Flex align="center" gap={10}>
            <Avatar src={picture} icon={picture ? undefined : <UserOutlined />} alt="" />
            <Flex vertical style={{ minWidth: 0 }}>
              <Typography.Text strong data-testid="follow-log-line-name">
                {member.lineDisplayName ?? t('followLog.noLineName')}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <Link to={`/members/${member.id}`} data-testid="follow-log-member-link">
                  {member.memberNo}
                </Link>
                {member.name ? ` · ${member.name}` : ` · ${t('followLog.notBound')}`}
              </Typography.Text>
            </Flex>
          </Flex>
        );
      },
    },
    {
      title: t('followLog.columns.status'),
      dataIndex: ['member', 'lineStatus'],
      width: 120,
      render: (status: string) => (status === 'following' || status === 'blocked' || status === 'never' ? t(`followLog.lineStatus.${status}`) : status),
    },
  ];
  return (
    <Table<FollowLogEntry>
      rowKey="id"
      columns={columns}
      dataSource={entries}
      loading={loading}
      scroll={{ x: 720 }}
      data-testid="follow-log-table"
      locale={{ emptyText: <Empty description={t('followLog.empty')} /> }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: PAGE_SIZES,
        showTotal: (count) => t('common.total', { count }),
        onChange: onPageChange,
      }}
    />
  );
}
