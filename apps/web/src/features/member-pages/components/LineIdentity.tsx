import { CheckCircleFilled, MinusCircleOutlined, StopOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import { type LineStatus, useMemberLabels } from '../../members/index.ts';

const STATUS_LOOK: Record<LineStatus, { color: string; icon: React.ReactNode }> = {
  following: { color: 'green', icon: <CheckCircleFilled /> },
  blocked: { color: 'red', icon: <StopOutlined /> },
  never: { color: 'default', icon: <MinusCircleOutlined /> },
};

export function LineStatusTag({ status }: { status: LineStatus }) {
  const { lineStatus } = useMemberLabels();
  const look = STATUS_LOOK[status] ?? STATUS_LOOK.never;
  return (
    <Tag color={look.color} icon={look.icon} style={{ marginInlineEnd: 0 }}>
      {lineStatus(status)}
    </Tag>
  );
}

const INITIAL_COLORS = ['#0f766e', '#2563eb', '#9333ea', '#db2777', '#ea580c', '#65a30d', '#0891b2', '#4f46e5'];

/** The LINE profile picture, else the name's first letter on a colour of its own, else a neutral placeholder. */
export function LineAvatar({ pictureUrl, name, size = 32 }: { pictureUrl: string | null; name: string | null; size?: number }) {
  const { t } = useTranslation();
  const src = displayableImageUrl(pictureUrl);
  const initial = name?.trim() ? Array.from(name.trim())[0]?.toUpperCase() : undefined;
  const color = name ? INITIAL_COLORS[[...name].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0) % INITIAL_COLORS.length] : '#d9d9d9';
  return (
    <Avatar
      size={size}
      src={src}
      icon={initial ? undefined : <UserOutlined />}
      alt={name ? t('members.line.avatarOf', { name }) : t('members.line.noAvatar')}
      aria-label={name ? t('members.line.avatarOf', { name }) : t('members.line.noAvatar')}
      style={{ flex: 'none', background: src ? undefined : color, fontSize: size * 0.45 }}
    >
      {src ? undefined : initial}
    </Avatar>
  );
}

/** Avatar, LINE name and friend status in one cell, on one line. */
export function LineIdentity({ pictureUrl, displayName, status }: { pictureUrl: string | null; displayName: string | null; status: LineStatus }) {
  return (
    <Flex gap={8} align="center" style={{ minWidth: 0 }}>
      <LineAvatar pictureUrl={pictureUrl} name={displayName} size={28} />
      {displayName ? (
        <Typography.Text ellipsis style={{ maxWidth: 90 }}>
          {displayName}
        </Typography.Text>
      ) : null}
      <LineStatusTag status={status} />
    </Flex>
  );
}
