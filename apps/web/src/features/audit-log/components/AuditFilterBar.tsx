import { Button, DatePicker, Flex, Input, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { dayjs } from '../../../lib/datetime.ts';
import { useAuditLabels } from '../../../lib/labels.ts';
import { useAuditActions } from '../api.ts';
import type { AuditFilters } from '../use-audit-filters.ts';

type Props = {
  filters: AuditFilters;
  onChange: (changes: Partial<Record<keyof AuditFilters, string | undefined>>) => void;
  /** How the entries name the filtered target (a member's number and name, an account's e-mail), when the page has one. */
  targetName?: string | null | undefined;
};

/** Groups actions by their prefix (`auth.`, `account.` …); each group can also be chosen whole, as the API matches prefixes. */
function useActionOptions() {
  const { t } = useTranslation();
  const actions = useAuditActions();
  const { actionLabel, groupLabel } = useAuditLabels();
  const groups = new Map<string, string[]>();
  for (const action of actions.data ?? []) {
    const prefix = action.split('.')[0] ?? action;
    groups.set(prefix, [...(groups.get(prefix) ?? []), action]);
  }
  const options = [...groups].map(([prefix, list]) => ({
    label: groupLabel(prefix),
    title: groupLabel(prefix),
    options: [
      { value: `${prefix}.`, label: t('audit.wholeGroup', { group: groupLabel(prefix) }) },
      ...list.map((action) => ({ value: action, label: actionLabel(action) })),
    ],
  }));
  return { options, loading: actions.isPending, failed: actions.isError };
}

export function AuditFilterBar({ filters, onChange, targetName }: Props) {
  const { t } = useTranslation();
  const { targetLabel } = useAuditLabels();
  const actions = useActionOptions();
  const range: [dayjs.Dayjs, dayjs.Dayjs] | null = filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null;
  const hasFilters = Boolean(filters.action || filters.actor || filters.from || filters.targetId || filters.targetType);

  return (
    <Flex gap={8} wrap align="center">
      <Select
        aria-label={t('audit.actionFilter')}
        placeholder={actions.failed ? t('audit.actionsUnavailable') : t('audit.actionFilter')}
        value={filters.action}
        onChange={(value: string | undefined) => onChange({ action: value })}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        loading={actions.loading}
        options={actions.options}
        style={{ width: 260 }}
        popupMatchSelectWidth={320}
      />
      <Input.Search
        key={filters.actor ?? ''}
        aria-label={t('audit.actorFilter')}
        placeholder={t('audit.actorPlaceholder')}
        defaultValue={filters.actor}
        allowClear
        onSearch={(value) => onChange({ actor: value.trim() || undefined })}
        style={{ width: 240 }}
      />
      <DatePicker.RangePicker
        aria-label={t('audit.dateFilter')}
        value={range}
        onChange={(dates) => onChange({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD') })}
        allowClear
      />
      {filters.targetType || filters.targetId ? (
        <Tag closable onClose={() => onChange({ targetType: undefined, targetId: undefined })} color="blue">
          {t('audit.targetFilter', { type: filters.targetType ? targetLabel(filters.targetType) : '', id: targetName ?? filters.targetId ?? '' })}
        </Tag>
      ) : null}
      {hasFilters ? (
        <Button type="link" onClick={() => onChange({ action: undefined, actor: undefined, from: undefined, to: undefined, targetType: undefined, targetId: undefined })}>
          {t('common.clearFilters')}
        </Button>
      ) : null}
    </Flex>
  );
}
