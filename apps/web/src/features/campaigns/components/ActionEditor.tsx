import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Select, type SelectProps } from 'antd';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { filterTagOption, tagNamed } from '../../tags/index.ts';
import type { ActionDraft } from '../messages.ts';
import { buttonTagOptions, creatableName, NEW_TAG, newTagName } from './button-tag-options.ts';
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

/** The picker's filter: tags by name as the server compares it; the make-a-tag option (offered only for a name no tag has) always. */
function filterButtonTagOption(typed: string, option?: { value?: unknown; label?: unknown }): boolean {
  return newTagName(String(option?.value ?? '')) !== undefined || filterTagOption(typed, option);
}

/**
 * Where the picker's list opens: always below the picker, measured against the whole page rather than the part of it
 * on screen, and never flipped above or shifted to stay on screen. antd's default (flip and shift within the window)
 * opens the list above a picker in the lower part of the window and places it again when the page scrolls or the
 * list's height changes (typing filters it, the tag list grows): the list then jumps, and an option clicked while it
 * jumped is not chosen (the press and the release land on different options: no click). Measured with
 * e2e/button-tag-pick.e2e.test.ts (6× slower CPU): before, the list opened above the picker in 20 of 24 picks and
 * once in 56 jumped from above to below while open; with this, below in all 24 and never moved.
 */
const BELOW: SelectProps['builtinPlacements'] = {
  bottomLeft: { points: ['tl', 'bl'], offset: [0, 4], overflow: { adjustX: true, adjustY: false, shiftY: false }, htmlRegion: 'scroll' },
};

/**
 * The tags a tap gives: any of the hotel's tags, chosen right here (staff expected to, and were sent to the campaign's
 * basics to pick it first), or a new one made from the name typed when none matches. The server checks each is the
 * hotel's; the campaign's tags follow the buttons' (withButtonTags).
 *
 * What it hands the select keeps its identity between renders (options, search settings, filter, handlers), and it
 * renders again only when its own props change (memo): the builder re-renders on every estimate answer, tag list
 * refresh and keystroke elsewhere, and an open list need not be rebuilt for any of them (CI under load lost a click on
 * an option; the list's placement, BELOW, is what was seen to move it; this is the less work while staff click).
 */
const ButtonTagSelect = memo(function ButtonTagSelect({ value, onChange, tags, control, disabled }: { value: string[]; onChange: (tagIds: string[]) => void; tags: ButtonTags; control: ReturnType<typeof listControlProps>; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const latest = useRef({ value, onChange, tags, message, t });
  useLayoutEffect(() => {
    latest.current = { value, onChange, tags, message, t };
  });
  const mayCreate = tags.create !== undefined;
  // Typed names are matched as the server keeps and compares them (cleaned, any width or case): 「vip」 is the basic
  // tag 「VIP」, explained rather than offered to be made again and refused as taken.
  const basic = useMemo(() => tagNamed(tags.basic, search), [tags.basic, search]);
  const creatable = useMemo(() => creatableName(search, { mayCreate, taken: basic !== undefined || tagNamed(tags.options, search) !== undefined }), [search, mayCreate, basic, tags.options]);
  const tagOptions = useMemo(() => buttonTagOptions(tags.options, tags.basic, value), [tags.options, tags.basic, value]);
  const options = useMemo(() => (creatable === undefined ? tagOptions : [...tagOptions, { value: `${NEW_TAG}${creatable}`, label: t('campaigns.action.createTag', { name: creatable }) }]), [tagOptions, creatable, t]);
  const showSearch = useMemo(() => ({ searchValue: search, onSearch: setSearch, filterOption: filterButtonTagOption }), [search]);
  // Chosen from the list (or made): reads the props of the latest render, so the handler given to the select never
  // changes. A tag being made may take a while: the editor may change meanwhile (another tag chosen, the label typed),
  // so the new tag is added to the form as it is once the tag exists, not as it was when it was asked for.
  const choose = useCallback(async (next: string[]) => {
    const { tags, onChange, message, t } = latest.current;
    const fresh = next.map(newTagName).find((name) => name !== undefined);
    if (fresh === undefined || !tags.create) {
      setSearch('');
      return onChange(next.filter((v) => newTagName(v) === undefined));
    }
    setCreating(true);
    try {
      const tag = await tags.create(fresh);
      const current = latest.current;
      current.onChange(current.value.includes(tag.id) ? current.value : [...current.value, tag.id]);
      setSearch('');
      void message.success(t('campaigns.action.tagCreated', { name: tag.name }));
    } catch (error) {
      void latest.current.message.error(errorMessageOf(error));
    } finally {
      setCreating(false);
    }
  }, []);
  const onSelectChange = useCallback((next: string[]) => void choose(next), [choose]);
  const notFoundContent = useMemo(() => (basic ? <span data-testid="action-tags-basic">{t('campaigns.action.basicTag', { name: basic.name })}</span> : t('campaigns.action.noTags')), [basic, t]);
  return (
    <Select
      {...control}
      mode="multiple"
      value={value}
      disabled={disabled}
      loading={creating}
      placement="bottomLeft"
      builtinPlacements={BELOW}
      showSearch={showSearch}
      placeholder={t(mayCreate ? 'campaigns.action.tagsPlaceholderCreate' : 'campaigns.action.tagsPlaceholder')}
      onChange={onSelectChange}
      options={options}
      notFoundContent={notFoundContent}
      data-testid="action-tags"
    />
  );
});

/** One button: its label, what a tap does (open an https link or record a postback) and the tags it gives. */
export function ActionEditor({ action, onChange, onRemove, labelMax, tags, path, issues, disabled }: Props) {
  const { t } = useTranslation();
  const change = (patch: Partial<ActionDraft>) => onChange({ ...action, ...patch });
  // The tag picker's handler and props keep their identity between renders (see ButtonTagSelect); the handler applies
  // to the button as the latest render saw it.
  const latest = useRef({ action, onChange });
  useLayoutEffect(() => {
    latest.current = { action, onChange };
  });
  const changeTags = useCallback((tagIds: string[]) => latest.current.onChange({ ...latest.current.action, tagIds }), []);
  const tagControl = useMemo(() => listControlProps(issues, `${path}.tagIds`), [issues, path]);
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
        <ButtonTagSelect control={tagControl} value={action.tagIds} onChange={changeTags} tags={tags} disabled={disabled} />
      </Form.Item>
    </Card>
  );
}
