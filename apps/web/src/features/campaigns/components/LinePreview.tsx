import { PictureOutlined, UserOutlined } from '@ant-design/icons';
import { Tooltip, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreviewButton, PreviewCard, PreviewImage, PreviewItem } from '../preview.ts';

/** LINE's chat colours: the blue-grey room, white bubbles, LINE green for a Flex primary button, link blue in templates. */
const LINE = { room: '#8CABD9', bubble: '#FFFFFF', green: '#06C755', link: '#42659A', text: '#111111', muted: '#777777', border: '#E5E5E5' };

const bubbleStyle: CSSProperties = { background: LINE.bubble, borderRadius: 16, color: LINE.text, maxWidth: 240, overflow: 'hidden', boxShadow: '0 1px 1px rgba(0,0,0,0.08)' };

function Picture({ image, ratio, placeholder }: { image: PreviewImage; ratio?: string; placeholder: string }) {
  if (!image) {
    return (
      <div style={{ aspectRatio: ratio ?? '1.51', background: '#EEF1F5', display: 'flex', alignItems: 'center', justifyContent: 'center', color: LINE.muted, gap: 6, fontSize: 12 }}>
        <PictureOutlined /> {placeholder}
      </div>
    );
  }
  return <img src={image.src} alt="" style={{ display: 'block', width: '100%', aspectRatio: ratio ?? `${image.width} / ${image.height}`, objectFit: 'cover' }} />;
}

function TagHint({ button, children }: { button: PreviewButton; children: React.ReactElement }) {
  const { t } = useTranslation();
  if (button.tags.length === 0) return children;
  return <Tooltip title={t('campaigns.preview.tapAddsTags', { tags: button.tags.join(t('members.listSeparator')) })}>{children}</Tooltip>;
}

function FlexCard({ card, placeholder }: { card: PreviewCard; placeholder: string }) {
  return (
    <div style={{ ...bubbleStyle, width: 240, flex: '0 0 auto' }} data-testid="line-preview-card">
      {card.image ? <Picture image={card.image} ratio="20 / 13" placeholder={placeholder} /> : null}
      <div style={{ padding: '12px 14px' }}>
        <div style={{ fontWeight: 700, fontSize: 16, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{card.title || '…'}</div>
        {card.text ? <div style={{ marginTop: 8, fontSize: 13, color: '#555555', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{card.text}</div> : null}
      </div>
      {card.buttons.length > 0 ? (
        <div style={{ padding: '0 12px 12px', display: 'flex', flexDirection: 'column', gap: 8 }}>
          {card.buttons.map((button, i) => (
            <TagHint key={i} button={button}>
              <div style={{ borderRadius: 6, padding: '7px 8px', textAlign: 'center', fontSize: 13, background: i === 0 ? LINE.green : '#EDEFF2', color: i === 0 ? '#FFFFFF' : LINE.text }}>{button.label || '…'}</div>
            </TagHint>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function Item({ item }: { item: PreviewItem }) {
  const { t } = useTranslation();
  const placeholder = t('campaigns.preview.noImage');
  switch (item.kind) {
    case 'text':
      return <div style={{ ...bubbleStyle, padding: '8px 12px', whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 14 }}>{item.text || '…'}</div>;
    case 'image':
      return (
        <div style={{ ...bubbleStyle, width: 200 }}>
          <Picture image={item.image} placeholder={placeholder} />
        </div>
      );
    case 'buttons':
      return (
        <div style={{ ...bubbleStyle, width: 240 }}>
          {item.image ? <Picture image={item.image} ratio="1.51" placeholder={placeholder} /> : null}
          <div style={{ padding: '10px 14px' }}>
            {item.title ? <div style={{ fontWeight: 700, fontSize: 15 }}>{item.title}</div> : null}
            <div style={{ fontSize: 13, color: item.title ? '#555555' : LINE.text, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{item.text || '…'}</div>
          </div>
          {item.buttons.map((button, i) => (
            <TagHint key={i} button={button}>
              <div style={{ borderTop: `1px solid ${LINE.border}`, padding: '9px 8px', textAlign: 'center', color: LINE.link, fontSize: 14 }}>{button.label || '…'}</div>
            </TagHint>
          ))}
        </div>
      );
    case 'flex':
      return (
        <div style={{ display: 'flex', gap: 8, overflowX: 'auto', paddingBottom: 4, maxWidth: '100%' }}>
          {item.cards.map((card, i) => (
            <FlexCard key={i} card={card} placeholder={placeholder} />
          ))}
        </div>
      );
  }
}

/** The campaign's messages as a guest sees them in LINE: the official account's bubbles on the left of the chat room. */
export function LinePreview({ items, accountName }: { items: PreviewItem[]; accountName: string }) {
  const { t } = useTranslation();
  return (
    <div role="region" aria-label={t('campaigns.preview.title')} data-testid="line-preview" style={{ background: LINE.room, borderRadius: 20, padding: 12, minHeight: 420, maxHeight: '75vh', overflowY: 'auto' }}>
      {items.length === 0 ? (
        <Typography.Text style={{ color: '#FFFFFF', display: 'block', textAlign: 'center', marginTop: 160 }}>{t('campaigns.preview.empty')}</Typography.Text>
      ) : (
        <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
          <div style={{ width: 34, height: 34, borderRadius: '50%', background: '#FFFFFF', display: 'flex', alignItems: 'center', justifyContent: 'center', color: LINE.green, flex: '0 0 auto' }}>
            <UserOutlined />
          </div>
          <div style={{ display: 'flex', flexDirection: 'column', gap: 6, minWidth: 0, flex: 1 }}>
            <span style={{ color: '#FFFFFF', fontSize: 12 }}>{accountName}</span>
            {items.map((item, i) => (
              <div key={i} data-testid="line-preview-item">
                <Item item={item} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
