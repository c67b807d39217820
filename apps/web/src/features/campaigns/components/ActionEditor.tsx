import { DeleteOutlined } from '@ant-design/icons';
import { cleanName } from '@innkeeper/contracts';
import { App, Button, Card, Flex, Form, Input, Select } from 'antd';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { filterTagOption, tagNamed } from '../../tags/index.ts';
import type { ActionDraft } from '../messages.ts';
import { controlProps, fieldId, fieldProps, listControlProps, listIssueProps, type Issues } from './field-issues.ts';

/** The tags a button may give, and (for staff who may make tags) how to make one from its name right there. */
export type ButtonTags = {
  /** Activity tags only: a tap gives no basic member tag. */
  options: Array<{ id: string; name: string }>;
  /**
   * The basic member tags: typed on a button, explained rather than offered or made again; one a button already gives
   * (saved before the rule) is shown by name, to be removed (the server refuses it on saving).
   */
  basic: ReadonlyArray<{ id: string; name: string }>;
  create: ((name: string) => Promise<{ id: string; name: string }>) | undefined;
};

type Props = {
  action: ActionDraft;
  onChange: (next: ActionDraft) => void;
  onRemove: (() => void) | undefined;
  labelMax: number;
  tags: ButtonTags;
  path: string;
  issues: Issues;
  disabled: boolean;
};

/** The value of the option that makes a new tag of the typed name (no tag id looks like it). */
const NEW_TAG = '\u0000new:';

/**
 * The tags a tap gives: any of the hotel's tags, chosen right here (staff expected to, and were sent to the campaign's
 * basics to pick it first), or a new one made from the name typed when none matches. The server checks each is the
 * hotel's; the campaign's tags follow the buttons' (withButtonTags).
 */
function ButtonTagSelect({ value, onChange, tags, control, disabled }: { value: string[]; onChange: (tagIds: string[]) => void; tags: ButtonTags; control: ReturnType<typeof listControlProps>; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const latest = useRef({ value, onChange });
  useLayoutEffect(() => {
    latest.current = { value, onChange };
  });
  // Typed names are matched as the server keeps and compares them (cleaned, any case): 「vip」 is the basic tag
  // 「VIP」, explained rather than offered to be made again and refused as taken.
  const name = cleanName(search);
  const basic = tagNamed(tags.basic, search);
  const chosenBasic = tags.basic.filter((tag) => value.includes(tag.id));
  const creatable = tags.create !== undefined && name !== '' && name.length <= 50 && !basic && !tagNamed(tags.options, search);
  const choose = async (next: string[]) => {
    const fresh = next.find((v) => v.startsWith(NEW_TAG));
    if (!fresh || !tags.create) {
      setSearch('');
      return onChange(next.filter((v) => !v.startsWith(NEW_TAG)));
    }
    setCreating(true);
    try {
      const tag = await tags.create(fresh.slice(NEW_TAG.length));
      // The editor may have changed while the tag was being made (another tag chosen, the label typed): `value` and
      // `onChange` of this call were built from the form as it was, so add the tag to the form as it is now.
      const current = latest.current;
      current.onChange(current.value.includes(tag.id) ? current.value : [...current.value, tag.id]);
      setSearch('');
      void message.success(t('campaigns.action.tagCreated', { name: tag.name }));
    } catch (error) {
      void message.error(errorMessageOf(error));
    } finally {
      setCreating(false);
    }
  };
  return (
    <Select
      {...control}
      mode="multiple"
      value={value}
      disabled={disabled}
      loading={creating}
      showSearch={{ searchValue: search, onSearch: setSearch, filterOption: (typed, option) => String(option?.value ?? '').startsWith(NEW_TAG) || filterTagOption(typed, option) }}
      placeholder={t(tags.create ? 'campaigns.action.tagsPlaceholderCreate' : 'campaigns.action.tagsPlaceholder')}
      onChange={(next: string[]) => void choose(next)}
      options={[...tags.options.map((tag) => ({ value: tag.id, label: tag.name })), ...chosenBasic.map((tag) => ({ value: tag.id, label: tag.name })), ...(creatable ? [{ value: `${NEW_TAG}${name}`, label: t('campaigns.action.createTag', { name }) }] : [])]}
      notFoundContent={basic ? <span data-testid="action-tags-basic">{t('campaigns.action.basicTag', { name: basic.name })}</span> : t('campaigns.action.noTags')}
      data-testid="action-tags"
    />
  );
}

/** One button: its label, what a tap does (open an https link or record a postback) and the tags it gives. */
export function ActionEditor({ action, onChange, onRemove, labelMax, tags, path, issues, disabled }: Props) {
  const { t } = useTranslation();
  const change = (patch: Partial<ActionDraft>) => onChange({ ...action, ...patch });
  return (
    <Card size="small" styles={{ body: { paddingBottom: 0 } }} data-testid="action-editor">
      <Flex gap={8} wrap align="flex-start">
        <Form.Item label={t('campaigns.action.label')} style={{ flex: '1 1 160px' }} {...fieldProps(issues, `${path}.label`)}>
          <Input {...controlProps(issues, `${path}.label`)} value={action.label} maxLength={labelMax} showCount disabled={disabled} onChange={(e) => change({ label: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('campaigns.action.type')} style={{ flex: '0 1 200px' }} htmlFor={fieldId(`${path}.type`)}>
          <Select<ActionDraft['type']>
            {...controlProps(issues, `${path}.type`)}
            value={action.type}
            disabled={disabled}
            onChange={(type) => change({ type })}
            options={(['postback', 'uri'] as const).map((type) => ({ value: type, label: t(`campaigns.action.types.${type}`) }))}
          />
        </Form.Item>
        {onRemove ? <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('campaigns.action.remove')} disabled={disabled} onClick={onRemove} style={{ marginTop: 30 }} /> : null}
      </Flex>
      {action.type === 'uri' ? (
        <Form.Item label={t('campaigns.action.uri')} {...fieldProps(issues, `${path}.uri`)}>
          <Input {...controlProps(issues, `${path}.uri`)} value={action.uri ?? ''} placeholder="https://" maxLength={1000} disabled={disabled} onChange={(e) => change({ uri: e.target.value })} />
        </Form.Item>
      ) : (
        <Form.Item label={t('campaigns.action.displayText')} {...fieldProps(issues, `${path}.displayText`)}>
          <Input {...controlProps(issues, `${path}.displayText`)} value={action.displayText ?? ''} maxLength={300} disabled={disabled} onChange={(e) => change({ displayText: e.target.value })} />
        </Form.Item>
      )}
      <Form.Item label={t('campaigns.action.tags')} htmlFor={fieldId(`${path}.tagIds`)} {...listIssueProps(issues, `${path}.tagIds`, fieldId(`${path}.tagIds`))}>
        <ButtonTagSelect control={listControlProps(issues, `${path}.tagIds`)} value={action.tagIds} onChange={(tagIds) => change({ tagIds })} tags={tags} disabled={disabled} />
      </Form.Item>
    </Card>
  );
}
