import { CheckCircleFilled, MinusCircleOutlined, StopOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EllipsisText, PlainTag } from '../../../components/PlainElements.tsx';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import { type LineStatus, useMemberLabels } from '../../members/index.ts';

// Drawn with plain elements in antd's look (components/PlainElements.tsx): the member list shows one per row.

const STATUS_LOOK: Record<LineStatus, { color: string; icon: React.ReactNode }> = {
  following: { color: 'green', icon: <CheckCircleFilled /> },
  blocked: { color: 'red', icon: <StopOutlined /> },
  never: { color: 'default', icon: <MinusCircleOutlined /> },
};

export function LineStatusTag({ status }: { status: LineStatus }) {
  const { lineStatus } = useMemberLabels();
  const look = STATUS_LOOK[status] ?? STATUS_LOOK.never;
  return (
    <PlainTag color={look.color} icon={look.icon} style={{ marginInlineEnd: 0 }}>
      {lineStatus(status)}
    </PlainTag>
  );
}

const INITIAL_COLORS = ['#0f766e', '#2563eb', '#9333ea', '#db2777', '#ea580c', '#65a30d', '#0891b2', '#4f46e5'];

/**
 * The LINE profile picture, else the name's first letter on a colour of its own, else a neutral placeholder. antd's
 * Avatar in its stylesheet's class names: one letter needs none of the Avatar's measuring and scaling.
 */
export function LineAvatar({ pictureUrl, name, size = 32 }: { pictureUrl: string | null; name: string | null; size?: number }) {
  const { t } = useTranslation();
  const src = displayableImageUrl(pictureUrl);
  const initial = name?.trim() ? Array.from(name.trim())[0]?.toUpperCase() : undefined;
  const color = name ? INITIAL_COLORS[[...name].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0) % INITIAL_COLORS.length] : '#d9d9d9';
  const label = name ? t('members.line.avatarOf', { name }) : t('members.line.noAvatar');
  const kind = src ? ' ant-avatar-image' : initial ? '' : ' ant-avatar-icon';
  return (
    <span
      className={`ant-avatar ant-avatar-circle${kind}`}
      aria-label={label}
      style={{ width: size, height: size, fontSize: size * 0.45, flex: 'none', background: src ? undefined : color }}
    >
      {src ? <img src={src} alt={label} /> : initial ? <span className="ant-avatar-string">{initial}</span> : <UserOutlined />}
    </span>
  );
}

/** Avatar, LINE name and friend status in one cell, on one line. */
export function LineIdentity({ pictureUrl, displayName, status }: { pictureUrl: string | null; displayName: string | null; status: LineStatus }) {
  return (
    <div className="ant-flex ant-flex-align-center" style={{ minWidth: 0, gap: 8 }}>
      <LineAvatar pictureUrl={pictureUrl} name={displayName} size={28} />
      {displayName ? <EllipsisText style={{ maxWidth: 90 }}>{displayName}</EllipsisText> : null}
      <LineStatusTag status={status} />
    </div>
  );
}
