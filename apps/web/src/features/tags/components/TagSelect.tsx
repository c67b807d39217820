import { TAG_KINDS } from '@innkeeper/contracts';
import { Select, Typography } from 'antd';
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


/** Choose one tag: grouped by kind, searchable by name or category, each shown in its colour. */
export function TagSelect({ value, onChange, exclude = [], allowClear = true, ...rest }: Props) {
  const { t } = useTranslation();
  const tags = useTags();
  const hidden = new Set(exclude);
  const option = (tag: TagWithCount) => ({
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
  });
  const options = TAG_KINDS.map((kind) => ({
    label: t(`tags.kind.${kind}`),
    title: t(`tags.kind.${kind}`),
    options: (tags.data ?? []).filter((tag) => tag.kind === kind && !hidden.has(tag.id)).map(option),
  })).filter((group) => group.options.length > 0);

  return (
    <Select<string>
      value={value}
      onChange={(next) => onChange?.(next ?? undefined)}
      allowClear={allowClear}
      loading={tags.isPending}
      placeholder={tags.isError ? t('tags.loadFailed') : t('tags.choose')}
      showSearch={{ filterOption: (typed, option) => tagNameMatches(typed, String((option as { search?: string } | undefined)?.search ?? '')) }}
      options={options}
      optionRender={(item) => (item.data as { display?: React.ReactNode }).display ?? item.label}
      notFoundContent={tags.isPending ? undefined : t('tags.noneToChoose')}
      style={{ minWidth: 200 }}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}
