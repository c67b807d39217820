import { Checkbox, DatePicker, Flex, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import { dayjs } from '../../../lib/datetime.ts';
import { useProperties } from '../../properties/index.ts';
import type { Period } from '../../members/index.ts';

/** "N days" as a number input; `label` names it for screen readers (the text around it is visual only). */
export function DaysInput({ value, onChange, label, min = 0, max = 3650, suffix }: { value: number | undefined; onChange: (value: number | undefined) => void; label: string; min?: number; max?: number; suffix?: string }) {
  const { t } = useTranslation();
  return (
    <InputNumber<number>
      aria-label={label}
      value={value ?? null}
      min={min}
      max={max}
      precision={0}
      onChange={(next) => onChange(next ?? undefined)}
      suffix={suffix ?? t('segments.editor.days')}
      style={{ width: 120 }}
    />
  );
}

export function PeriodSelect({ value, options, onChange, label }: { value: Period; options: Period[]; onChange: (value: Period) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Select<Period>
      aria-label={label}
      value={value}
      onChange={onChange}
      style={{ width: 170 }}
      options={options.map((period) => ({ value: period, label: t(`segments.period.${period}`) }))}
    />
  );
}

/** A calendar-date range (YYYY-MM-DD in the tenant's time zone); either end may stay open. */
export function DateRange({ from, to, onChange, label }: { from: string | undefined; to: string | undefined; onChange: (from: string | undefined, to: string | undefined) => void; label: string }) {
  const { t } = useTranslation();
  // Same identity between renders: the picker takes a new value as an outside change and drops a first day picked but
  // not yet committed, so a re-render between the two clicks (the live count) emptied it (browser review, campaigns).
  const value = useMemo<[Dayjs | null, Dayjs | null]>(() => [from ? dayjs(from) : null, to ? dayjs(to) : null], [from, to]);
  return (
    <DatePicker.RangePicker
      aria-label={label}
      allowEmpty={[true, true]}
      value={value}
      onChange={(dates) => onChange(dates?.[0]?.format('YYYY-MM-DD') ?? undefined, dates?.[1]?.format('YYYY-MM-DD') ?? undefined)}
      placeholder={[t('segments.editor.from'), t('segments.editor.to')]}
    />
  );
}

/** Properties to limit a condition to; empty means any property. */
export function PropertiesSelect({ value, onChange, label, required = false }: { value: string[] | undefined; onChange: (value: string[]) => void; label: string; required?: boolean }) {
  const { t } = useTranslation();
  const properties = useProperties();
  return (
    <Select<string[]>
      mode="multiple"
      aria-label={label}
      value={value ?? []}
      onChange={onChange}
      loading={properties.isPending}
      placeholder={required ? t('segments.editor.chooseProperties') : t('segments.editor.anyProperty')}
      options={(properties.data ?? []).map((property) => ({ value: property.id, label: property.name }))}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 200 }}
      maxTagCount="responsive"
    />
  );
}

/** Free texts (room types, rate codes, channels): typed and confirmed with Enter; empty means any. */
export function TextsSelect({ value, onChange, label, placeholder }: { value: string[] | undefined; onChange: (value: string[]) => void; label: string; placeholder: string }) {
  return (
    <Select<string[]>
      mode="tags"
      aria-label={label}
      value={value ?? []}
      onChange={(next) => onChange(next.map((item) => item.trim()).filter(Boolean))}
      placeholder={placeholder}
      open={false}
      suffixIcon={null}
      tokenSeparators={[',', '，', '、']}
      style={{ minWidth: 180 }}
    />
  );
}

export function CheckboxList<T extends string | number>({ value, options, onChange, label }: { value: T[]; options: Array<{ value: T; label: string }>; onChange: (value: T[]) => void; label: string }) {
  return (
    <Flex role="group" aria-label={label} wrap>
      <Checkbox.Group<T> value={value} onChange={(next) => onChange(next)} options={options} />
    </Flex>
  );
}
