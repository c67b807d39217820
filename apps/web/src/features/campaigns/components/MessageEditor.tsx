import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { CAMPAIGN_PLACEHOLDERS, isKnownPlaceholder, LINE_LIMITS, longestLength, placeholdersIn, type CampaignPlaceholder } from '@innkeeper/contracts';
import { Button, Card, Flex, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { newAction, newCard, type ActionDraft, type CampaignImage, type CardDraft, type MessageDraft } from '../messages.ts';
import { ActionEditor, type ButtonTags } from './ActionEditor.tsx';
import { controlProps, fieldProps, issueProps, type Issues } from './field-issues.ts';
import { ImageField } from './ImageField.tsx';

export type MessageEditorContext = {
  images: ReadonlyMap<string, CampaignImage>;
  onUploaded: (image: CampaignImage) => void;
  /** The tags a button may give, chosen (or made) on the button. */
  buttonTags: ButtonTags;
  issues: Issues;
  disabled: boolean;
  /**
   * Where the messages sit in the form when it holds several lists of them (a rule's send steps: `steps.2.`): the
   * inputs' ids and the issues' paths start with it, so no two inputs on the page share an id.
   */
  pathPrefix?: string;
};

type Props = {
  index: number;
  count: number;
  message: MessageDraft;
  onChange: (next: MessageDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  context: MessageEditorContext;
};

function Actions({ actions, onChange, max, labelMax, path, context, min }: { actions: ActionDraft[]; onChange: (next: ActionDraft[]) => void; max: number; min: number; labelMax: number; path: string; context: MessageEditorContext }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('campaigns.editor.actions')} {...issueProps(context.issues, `${path}.actions`)}>
      <Flex vertical gap={8}>
        {actions.map((action, i) => (
          <ActionEditor
            key={i}
            action={action}
            labelMax={labelMax}
            tags={context.buttonTags}
            path={`${path}.actions.${i}`}
            issues={context.issues}
            disabled={context.disabled}
            onChange={(next) => onChange(actions.map((a, j) => (j === i ? next : a)))}
            onRemove={actions.length > min ? () => onChange(actions.filter((_, j) => j !== i)) : undefined}
          />
        ))}
        {actions.length < max ? (
          <Button icon={<PlusOutlined />} disabled={context.disabled} onClick={() => onChange([...actions, newAction()])} style={{ alignSelf: 'flex-start' }}>
            {t('campaigns.editor.addAction')}
          </Button>
        ) : null}
      </Flex>
    </Form.Item>
  );
}

function AltText({ value, onChange, path, context }: { value: string; onChange: (altText: string) => void; path: string; context: MessageEditorContext }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('campaigns.editor.altText')} extra={t('campaigns.editor.altTextHelp')} {...fieldProps(context.issues, `${path}.altText`)}>
      <Input {...controlProps(context.issues, `${path}.altText`)} value={value} maxLength={LINE_LIMITS.altTextLength} disabled={context.disabled} onChange={(e) => onChange(e.target.value)} />
    </Form.Item>
  );
}

function CardFields({ card, onChange, path, context }: { card: CardDraft; onChange: (next: CardDraft) => void; path: string; context: MessageEditorContext }) {
  const { t } = useTranslation();
  return (
    <>
      <ImageField imageId={card.imageId} images={context.images} onUploaded={context.onUploaded} onChange={(imageId) => onChange({ ...card, imageId })} optional path={`${path}.imageId`} issues={context.issues} disabled={context.disabled} />
      <Form.Item label={t('campaigns.editor.title')} {...fieldProps(context.issues, `${path}.title`)}>
        <Input {...controlProps(context.issues, `${path}.title`)} value={card.title} maxLength={LINE_LIMITS.bubbleTitleLength} showCount disabled={context.disabled} onChange={(e) => onChange({ ...card, title: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('campaigns.editor.body')} {...fieldProps(context.issues, `${path}.text`)}>
        <Input.TextArea {...controlProps(context.issues, `${path}.text`)} value={card.text ?? ''} maxLength={LINE_LIMITS.bubbleTextLength} showCount autoSize={{ minRows: 2, maxRows: 6 }} disabled={context.disabled} onChange={(e) => onChange({ ...card, text: e.target.value })} />
      </Form.Item>
      <Actions actions={card.actions} onChange={(actions) => onChange({ ...card, actions })} max={LINE_LIMITS.bubbleActions} min={0} labelMax={LINE_LIMITS.flexLabelLength} path={path} context={context} />
    </>
  );
}

function TextFields({ text, onChange, path, context }: { text: string; onChange: (text: string) => void; path: string; context: MessageEditorContext }) {
  const { t } = useTranslation();
  const length = longestLength(text);
  // The counter counts each personal field at the longest it can become (LINE counts the text as sent): it says so,
  // or {firstName} adding 100 to it reads as a mistake.
  const fields = [...new Set(placeholdersIn(text).filter(isKnownPlaceholder))];
  return (
    <Form.Item label={t('campaigns.editor.text')} {...fieldProps(context.issues, `${path}.text`)} extra={
      <Flex justify="space-between" wrap gap={8}>
        <Space size={4} wrap>
          <Typography.Text type="secondary">{t('campaigns.editor.insertPlaceholder')}</Typography.Text>
          {(Object.keys(CAMPAIGN_PLACEHOLDERS) as CampaignPlaceholder[]).map((name) => (
            <Tag.CheckableTag key={name} checked={false} onChange={() => !context.disabled && onChange(`${text}{${name}}`)}>
              {t(`campaigns.editor.placeholders.${name}`)}
            </Tag.CheckableTag>
          ))}
        </Space>
        <Space size={8} wrap>
          {fields.length > 0 ? (
            <Typography.Text type="secondary" data-testid="text-length-note">
              {t('campaigns.editor.placeholderLength', { fields: fields.map((name) => t('campaigns.editor.placeholderMax', { field: t(`campaigns.editor.placeholders.${name}`), n: CAMPAIGN_PLACEHOLDERS[name].maxLength })).join(t('campaigns.editor.listSeparator')) })}
            </Typography.Text>
          ) : null}
          <Typography.Text type={length > LINE_LIMITS.textLength ? 'danger' : 'secondary'} data-testid="text-length">
            {length} / {LINE_LIMITS.textLength}
          </Typography.Text>
        </Space>
      </Flex>
    }>
      <Input.TextArea {...controlProps(context.issues, `${path}.text`)} value={text} autoSize={{ minRows: 3, maxRows: 10 }} disabled={context.disabled} onChange={(e) => onChange(e.target.value)} />
    </Form.Item>
  );
}

/** One message of the campaign, edited by kind; limits are LINE's (LINE_LIMITS), checked again by the server. */
export function MessageEditor({ index, count, message, onChange, onMove, onRemove, context }: Props) {
  const { t } = useTranslation();
  const path = `${context.pathPrefix ?? ''}messages.${index}`;
  return (
    <Card
      size="small"
      data-testid="message-editor"
      title={t('campaigns.editor.messageN', { n: index + 1, type: t(`campaigns.editor.messageTypes.${message.type}`) })}
      extra={
        <Space size={0}>
          <Button type="text" icon={<ArrowUpOutlined />} aria-label={t('campaigns.editor.moveUp')} disabled={context.disabled || index === 0} onClick={() => onMove(-1)} />
          <Button type="text" icon={<ArrowDownOutlined />} aria-label={t('campaigns.editor.moveDown')} disabled={context.disabled || index === count - 1} onClick={() => onMove(1)} />
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('campaigns.editor.remove')} disabled={context.disabled} onClick={onRemove} />
        </Space>
      }
    >
      {message.type === 'text' ? <TextFields text={message.text} onChange={(text) => onChange({ ...message, text })} path={path} context={context} /> : null}
      {message.type === 'image' ? (
        <ImageField imageId={message.imageId} images={context.images} onUploaded={context.onUploaded} onChange={(imageId) => onChange({ ...message, imageId })} optional={false} path={`${path}.imageId`} issues={context.issues} disabled={context.disabled} />
      ) : null}
      {message.type === 'buttons' ? (
        <>
          <AltText value={message.altText} onChange={(altText) => onChange({ ...message, altText })} path={path} context={context} />
          <ImageField imageId={message.imageId} images={context.images} onUploaded={context.onUploaded} onChange={(imageId) => onChange({ ...message, imageId })} optional path={`${path}.imageId`} issues={context.issues} disabled={context.disabled} />
          <Form.Item label={t('campaigns.editor.title')} {...fieldProps(context.issues, `${path}.title`)}>
            <Input {...controlProps(context.issues, `${path}.title`)} value={message.title ?? ''} maxLength={LINE_LIMITS.buttonsTitleLength} showCount disabled={context.disabled} onChange={(e) => onChange({ ...message, title: e.target.value })} />
          </Form.Item>
          <Form.Item label={t('campaigns.editor.body')} {...fieldProps(context.issues, `${path}.text`)}>
            <Input.TextArea
              {...controlProps(context.issues, `${path}.text`)}
              value={message.text}
              maxLength={message.imageId || message.title ? LINE_LIMITS.buttonsTextWithImageOrTitleLength : LINE_LIMITS.buttonsTextLength}
              showCount
              autoSize={{ minRows: 2, maxRows: 5 }}
              disabled={context.disabled}
              onChange={(e) => onChange({ ...message, text: e.target.value })}
            />
          </Form.Item>
          <Actions actions={message.actions} onChange={(actions) => onChange({ ...message, actions })} max={LINE_LIMITS.buttonsActions} min={1} labelMax={LINE_LIMITS.templateLabelLength} path={path} context={context} />
        </>
      ) : null}
      {message.type === 'bubble' ? (
        <>
          <AltText value={message.altText} onChange={(altText) => onChange({ ...message, altText })} path={path} context={context} />
          <CardFields card={message} onChange={(card) => onChange({ ...message, ...card })} path={path} context={context} />
        </>
      ) : null}
      {message.type === 'carousel' ? (
        <>
          <AltText value={message.altText} onChange={(altText) => onChange({ ...message, altText })} path={path} context={context} />
          <Form.Item {...issueProps(context.issues, `${path}.cards`)}>
            <Flex vertical gap={12}>
              {message.cards.map((card, c) => (
                <Card
                  key={c}
                  size="small"
                  type="inner"
                  title={t('campaigns.editor.card', { n: c + 1 })}
                  extra={message.cards.length > 1 ? <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('campaigns.editor.removeCard')} disabled={context.disabled} onClick={() => onChange({ ...message, cards: message.cards.filter((_, j) => j !== c) })} /> : null}
                >
                  <CardFields card={card} onChange={(next) => onChange({ ...message, cards: message.cards.map((x, j) => (j === c ? next : x)) })} path={`${path}.cards.${c}`} context={context} />
                </Card>
              ))}
              {message.cards.length < LINE_LIMITS.carouselBubbles ? (
                <Button icon={<PlusOutlined />} disabled={context.disabled} onClick={() => onChange({ ...message, cards: [...message.cards, newCard()] })} style={{ alignSelf: 'flex-start' }}>
                  {t('campaigns.editor.addCard')}
                </Button>
              ) : null}
            </Flex>
          </Form.Item>
        </>
      ) : null}
      {context.issues.get(path) ? <Typography.Text type="danger">{context.issues.get(path)!.join(' ')}</Typography.Text> : null}
    </Card>
  );
}
