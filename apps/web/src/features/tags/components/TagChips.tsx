import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PlainTag } from '../../../components/PlainElements.tsx';

type ChipTag = { id: string; name: string; color: string };

/** One tag in its colour (an antd preset name such as "gold", or #rrggbb). */
export function TagChip({ tag, children, ...rest }: { tag: ChipTag; children?: ReactNode; closable?: boolean; onClose?: (event: React.MouseEvent<HTMLElement>) => void }) {
  return (
    <Tag color={tag.color || 'default'} style={{ marginInlineEnd: 0 }} {...rest}>
      {children ?? tag.name}
    </Tag>
  );
}

/**
 * A member's tags, at most `max` shown and the rest behind "+N". Plain elements in antd's look
 * (components/PlainElements.tsx): the member list shows them on every row.
 */
export function TagChips({ tags, max = 4 }: { tags: ChipTag[]; max?: number }) {
  const { t } = useTranslation();
  if (tags.length === 0) return null;
  const shown = tags.slice(0, max);
  const hidden = tags.slice(max);
  return (
    <div className="ant-flex ant-flex-wrap-wrap" style={{ gap: 4 }}>
      {shown.map((tag) => (
        <PlainTag key={tag.id} color={tag.color || 'default'} style={{ marginInlineEnd: 0 }}>
          {tag.name}
        </PlainTag>
      ))}
      {hidden.length > 0 ? (
        <Tooltip title={hidden.map((tag) => tag.name).join(t('members.listSeparator'))}>
          <PlainTag style={{ marginInlineEnd: 0 }} aria-label={t('tags.moreTags', { count: hidden.length })}>
            +{hidden.length}
          </PlainTag>
        </Tooltip>
      ) : null}
    </div>
  );
}
