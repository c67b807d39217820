import { DeleteOutlined, EditOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone } from '../../../lib/datetime.ts';
import { fullName, type Member } from '../../members/index.ts';
import { useOriginLabel } from '../timeline-text.tsx';
import { LineAvatar, LineStatusTag } from './LineIdentity.tsx';

type Props = { member: Member; timeZone: string; canEdit: boolean; onEdit: () => void; onMerge: () => void; onDelete: () => void };

/** Who the member is at a glance: number, name, LINE profile and friend status, marketing consent. */
export function MemberHeader({ member, timeZone, canEdit, onEdit, onMerge, onDelete }: Props) {
  const { t } = useTranslation();
  const origin = useOriginLabel();
  const name = fullName(member);
  const lineChanged = member.line.statusChangedAt ?? member.line.followedAt;
  return (
    <Card>
      <Flex gap={16} wrap justify="space-between" align="flex-start">
        <Flex gap={16} align="center" style={{ minWidth: 0 }}>
          <LineAvatar pictureUrl={member.line.pictureUrl} name={member.line.displayName} size={64} />
          <Flex vertical gap={4} style={{ minWidth: 0 }}>
            <Flex gap={8} align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {name || member.line.displayName || t('members.noName')}
              </Typography.Title>
              <Tag data-testid="member-no">{member.memberNo}</Tag>
            </Flex>
            <Flex gap={8} align="center" wrap>
              <Typography.Text type="secondary">{t('members.detail.line')}</Typography.Text>
              {member.line.displayName ? <Typography.Text>{member.line.displayName}</Typography.Text> : null}
              <LineStatusTag status={member.line.status} />
              {lineChanged ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('members.detail.since', { time: formatInZone(lineChanged, timeZone) })}
                </Typography.Text>
              ) : null}
            </Flex>
            <Flex gap={8} align="center" wrap>
              <Typography.Text type="secondary">{t('members.fields.marketingOptIn')}</Typography.Text>
              {member.marketingOptIn ? <Tag color="green">{t('members.optIn.yes')}</Tag> : <Tag>{t('members.optIn.no')}</Tag>}
              {member.optInChangedAt ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="opt-in-changed">
                  {t('members.detail.optInChanged', { time: formatInZone(member.optInChangedAt, timeZone), source: origin(member.optInSource) })}
                </Typography.Text>
              ) : null}
            </Flex>
          </Flex>
        </Flex>
        {canEdit ? (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={onEdit}>
              {t('members.detail.edit')}
            </Button>
            <Button icon={<MergeCellsOutlined />} onClick={onMerge}>
              {t('members.merge.button')}
            </Button>
            <Button danger icon={<DeleteOutlined />} onClick={onDelete}>
              {t('members.detail.delete')}
            </Button>
          </Space>
        ) : null}
      </Flex>
    </Card>
  );
}
