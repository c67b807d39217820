import { TAG_KINDS } from '@innkeeper/contracts';
import { Select, Typography } from 'antd';
import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useTags, type TagWithCount } from '../api.ts';
import { tagNameMatches } from '../tag-names.ts';
import { TagChip } from './TagChips.tsx';

type Props = {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
  status?: 'error' | 'warning' | '';
  style?: React.CSSProperties;
  /** Tags to leave out (e.g. the ones a member already has). */
  exclude?: readonly string[];
  allowClear?: boolean;
  'data-testid'?: string;
};

/** A tag as the picker offers it: searched by its name and category, shown as its chip. */
type TagOption = { value: string; label: string; search: string; display: React.ReactNode };

// Module-level, so the select is handed the same search settings and option renderer on every render.
const SHOW_SEARCH = { filterOption: (typed: string, option?: unknown) => tagNameMatches(typed, String((option as { search?: string } | undefined)?.search ?? '')) };
const STYLE = { minWidth: 200 };
const renderOption = (item: { label?: React.ReactNode; data: unknown }) => (item.data as { display?: React.ReactNode }).display ?? item.label;

function optionOf(tag: TagWithCount): TagOption {
  return {
    value: tag.id,
    label: tag.name,
    search: `${tag.name} ${tag.category}`,
    display: (
      <span>
        <TagChip tag={tag} />{' '}
        {tag.category ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {tag.category}
          </Typography.Text>
        ) : null}
      </span>
    ),
  };
}

/**
 * Choose one tag: grouped by kind, searchable by name or category, each shown in its colour. The options are built
 * when the tags or the excluded ones change, not on every render of the page around it (a page re-rendering while the
 * list is open hands the select the same list; see the campaign buttons' picker).
 */
export function TagSelect({ value, onChange, exclude = [], allowClear = true, ...rest }: Props) {
  const { t } = useTranslation();
  const tags = useTags();
  // Callers pass a new array each render: compared by content.
  const excluded = exclude.join('\u0000');
  const options = useMemo(() => {
    const hidden = new Set(excluded === '' ? [] : excluded.split('\u0000'));
    return TAG_KINDS.map((kind) => ({
      label: t(`tags.kind.${kind}`),
      title: t(`tags.kind.${kind}`),
      options: (tags.data ?? []).filter((tag) => tag.kind === kind && !hidden.has(tag.id)).map(optionOf),
    })).filter((group) => group.options.length > 0);
  }, [tags.data, excluded, t]);
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });
  const change = useCallback((next: string | undefined) => latest.current?.(next ?? undefined), []);

  return (
    <Select<string>
      value={value}
      onChange={change}
      allowClear={allowClear}
      loading={tags.isPending}
      placeholder={tags.isError ? t('tags.loadFailed') : t('tags.choose')}
      showSearch={SHOW_SEARCH}
      options={options}
      optionRender={renderOption}
      notFoundContent={tags.isPending ? undefined : t('tags.noneToChoose')}
      style={STYLE}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}
