import { Flex, Input, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type DraftCondition, GENDERS, HAS_FIELDS, INTERACTION_KINDS, LANGUAGES, LINE_STATUSES, type Period, periodOptionsOf, STAY_CHILDREN_FILTERS, STAY_PARTY_MAX, type StayChildrenFilter, TAG_SOURCES, useMemberLabels } from '../../members/index.ts';
import { TagSelect } from '../../tags/index.ts';
import { CheckboxList, DateRange, DaysInput, PeriodSelect, PropertiesSelect, TextsSelect } from './controls.tsx';

type Props<C extends DraftCondition = DraftCondition> = { condition: C; onChange: (next: DraftCondition) => void };

const MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);
const CHILDREN_LABELS = { with: 'segments.editor.childrenWith', without: 'segments.editor.childrenWithout', unrecorded: 'segments.editor.childrenUnrecorded' } as const satisfies Record<StayChildrenFilter, string>;

function Text({ children }: { children: React.ReactNode }) {
  return <Typography.Text style={{ whiteSpace: 'nowrap' }}>{children}</Typography.Text>;
}

/** The controls of one condition, laid out to read as a sentence. */
export function ConditionEditor({ condition, onChange }: Props) {
  const { t } = useTranslation();
  const labels = useMemberLabels();
  const periods = periodOptionsOf(condition.type) ?? [];
  const period: Period = condition.period ?? periods[0] ?? 'any';

  switch (condition.type) {
    case 'tag':
      return (
        <Flex gap={8} wrap align="center">
          <Select<'has' | 'hasNot'>
            aria-label={t('segments.editor.tagHas')}
            value={condition.has === false ? 'hasNot' : 'has'}
            onChange={(value) => onChange({ ...condition, has: value === 'has' })}
            style={{ width: 110 }}
            options={[
              { value: 'has', label: t('segments.editor.has') },
              { value: 'hasNot', label: t('segments.editor.hasNot') },
            ]}
          />
          <TagSelect aria-label={t('segments.editor.tag')} value={condition.tagId || undefined} onChange={(tagId) => onChange({ ...condition, tagId: tagId ?? '' })} allowClear={false} />
          <PeriodSelect label={t('segments.editor.tagAdded')} value={period} options={periods} onChange={(next) => onChange({ ...condition, period: next })} />
          {period === 'within' ? (
            <DaysInput label={t('segments.editor.withinDays')} value={condition.addedWithinDays} onChange={(addedWithinDays) => onChange({ ...condition, addedWithinDays })} />
          ) : null}
          {period === 'range' ? (
            <DateRange label={t('segments.editor.dateRange')} from={condition.addedFrom} to={condition.addedTo} onChange={(addedFrom, addedTo) => onChange({ ...condition, addedFrom, addedTo })} />
          ) : null}
          <Select
            mode="multiple"
            aria-label={t('segments.editor.sources')}
            value={condition.sources ?? []}
            onChange={(sources) => onChange({ ...condition, sources })}
            placeholder={t('segments.editor.anySource')}
            options={TAG_SOURCES.map((source) => ({ value: source, label: labels.tagSource(source) }))}
            style={{ minWidth: 160 }}
            maxTagCount="responsive"
          />
        </Flex>
      );
    case 'gender':
      return <CheckboxList label={t('segments.conditionType.gender')} value={condition.values} onChange={(values) => onChange({ ...condition, values })} options={GENDERS.map((value) => ({ value, label: labels.gender(value) }))} />;
    case 'language':
      return <CheckboxList label={t('segments.conditionType.language')} value={condition.values} onChange={(values) => onChange({ ...condition, values })} options={LANGUAGES.map((value) => ({ value, label: labels.language(value) }))} />;
    case 'line_status':
      return <CheckboxList label={t('segments.conditionType.line_status')} value={condition.values} onChange={(values) => onChange({ ...condition, values })} options={LINE_STATUSES.map((value) => ({ value, label: labels.lineStatus(value) }))} />;
    case 'home_property':
      return <PropertiesSelect required label={t('segments.conditionType.home_property')} value={condition.propertyIds} onChange={(propertyIds) => onChange({ ...condition, propertyIds })} />;
    case 'consent':
      return (
        <Radio.Group
          aria-label={t('segments.conditionType.consent')}
          value={condition.optedIn}
          onChange={(event) => onChange({ ...condition, optedIn: event.target.value as boolean })}
          options={[
            { value: true, label: t('segments.editor.optedIn') },
            { value: false, label: t('segments.editor.notOptedIn') },
          ]}
        />
      );
    case 'has_field':
      return (
        <Flex gap={8} wrap align="center">
          <Select
            aria-label={t('segments.editor.field')}
            value={condition.field}
            onChange={(field) => onChange({ ...condition, field })}
            style={{ width: 150 }}
            options={HAS_FIELDS.map((field) => ({ value: field, label: labels.hasField(field) }))}
          />
          <Radio.Group
            aria-label={t('segments.editor.presence')}
            value={condition.present ?? true}
            onChange={(event) => onChange({ ...condition, present: event.target.value as boolean })}
            options={[
              { value: true, label: t('segments.editor.present') },
              { value: false, label: t('segments.editor.absent') },
            ]}
          />
        </Flex>
      );
    case 'birthday_month':
      return (
        <Select<number[]>
          mode="multiple"
          aria-label={t('segments.conditionType.birthday_month')}
          value={condition.months}
          onChange={(months) => onChange({ ...condition, months: [...months].sort((a, b) => a - b) })}
          placeholder={t('segments.editor.chooseMonths')}
          options={MONTHS.map((month) => ({ value: month, label: t('segments.editor.month', { month }) }))}
          style={{ minWidth: 220 }}
        />
      );
    case 'joined':
    case 'last_interaction':
      return (
        <Flex gap={8} wrap align="center">
          <PeriodSelect label={t('segments.editor.period')} value={period} options={periods} onChange={(next) => onChange({ ...condition, period: next })} />
          {period === 'within' ? <DaysInput label={t('segments.editor.withinDays')} value={condition.withinDays} onChange={(withinDays) => onChange({ ...condition, withinDays })} /> : null}
          {period === 'range' ? <DateRange label={t('segments.editor.dateRange')} from={condition.from} to={condition.to} onChange={(from, to) => onChange({ ...condition, from, to })} /> : null}
        </Flex>
      );
    case 'no_interaction':
      return (
        <Flex gap={8} wrap align="center">
          <Text>{t('segments.editor.noInteractionFor')}</Text>
          <DaysInput label={t('segments.editor.noInteractionDays')} min={1} value={condition.days} onChange={(days) => onChange({ ...condition, days })} />
        </Flex>
      );
    case 'stays':
      return (
        <Flex vertical gap={8}>
          <Flex gap={8} wrap align="center">
            <PropertiesSelect label={t('segments.editor.properties')} value={condition.propertyIds} onChange={(propertyIds) => onChange({ ...condition, propertyIds })} />
            <PeriodSelect label={t('segments.editor.stayPeriod')} value={period} options={periods} onChange={(next) => onChange({ ...condition, period: next })} />
            {period === 'within' ? <DaysInput label={t('segments.editor.withinDays')} value={condition.withinDays} onChange={(withinDays) => onChange({ ...condition, withinDays })} /> : null}
            {period === 'range' ? <DateRange label={t('segments.editor.dateRange')} from={condition.from} to={condition.to} onChange={(from, to) => onChange({ ...condition, from, to })} /> : null}
          </Flex>
          <Flex gap={8} wrap align="center">
            <TextsSelect label={t('segments.editor.roomTypes')} placeholder={t('segments.editor.roomTypes')} value={condition.roomTypes} onChange={(roomTypes) => onChange({ ...condition, roomTypes })} />
            <TextsSelect label={t('segments.editor.rateCodes')} placeholder={t('segments.editor.rateCodes')} value={condition.rateCodes} onChange={(rateCodes) => onChange({ ...condition, rateCodes })} />
            <TextsSelect label={t('segments.editor.channels')} placeholder={t('segments.editor.channels')} value={condition.channels} onChange={(channels) => onChange({ ...condition, channels })} />
          </Flex>
          <Flex gap={8} wrap align="center">
            <Select<StayChildrenFilter | 'any'>
              aria-label={t('segments.editor.children')}
              value={condition.children ?? 'any'}
              onChange={(value) => onChange({ ...condition, children: value === 'any' ? undefined : value, minChildren: value === 'with' ? condition.minChildren : undefined })}
              style={{ width: 170 }}
              options={[
                { value: 'any', label: t('segments.editor.childrenAny') },
                ...STAY_CHILDREN_FILTERS.map((value) => ({ value, label: t(CHILDREN_LABELS[value]) })),
              ]}
            />
            {condition.children === 'with' ? (
              <>
                <Text>{t('segments.editor.atLeast')}</Text>
                <DaysInput label={t('segments.editor.minChildren')} min={1} max={STAY_PARTY_MAX} suffix={t('segments.editor.childrenSuffix')} value={condition.minChildren ?? 1} onChange={(minChildren) => onChange({ ...condition, minChildren })} />
              </>
            ) : null}
          </Flex>
          <Flex gap={8} wrap align="center">
            <Text>{t('segments.editor.minNights')}</Text>
            <DaysInput label={t('segments.editor.minNights')} min={1} max={365} suffix={t('segments.editor.nights')} value={condition.minNights} onChange={(minNights) => onChange({ ...condition, minNights })} />
            <Text>{t('segments.editor.minCount')}</Text>
            <DaysInput label={t('segments.editor.minCount')} min={1} max={1000} suffix={t('segments.editor.times')} value={condition.minCount} onChange={(minCount) => onChange({ ...condition, minCount })} />
          </Flex>
        </Flex>
      );
    case 'total_nights':
      return (
        <Flex gap={8} wrap align="center">
          <Text>{t('segments.editor.atLeast')}</Text>
          <DaysInput label={t('segments.editor.totalNights')} min={1} max={10000} suffix={t('segments.editor.nights')} value={condition.min} onChange={(min) => onChange({ ...condition, min })} />
          <Text>{t('segments.editor.inLast')}</Text>
          <DaysInput label={t('segments.editor.withinDaysOptional')} value={condition.withinDays} onChange={(withinDays) => onChange({ ...condition, withinDays })} />
          <Typography.Text type="secondary">{t('segments.editor.emptyMeansAllTime')}</Typography.Text>
        </Flex>
      );
    case 'last_check_out':
    case 'arriving':
      return (
        <Flex gap={8} wrap align="center">
          <Text>{condition.type === 'arriving' ? t('segments.editor.arrivingWithin') : t('segments.editor.checkedOutWithin')}</Text>
          <DaysInput label={t('segments.editor.withinDays')} value={condition.withinDays} onChange={(withinDays) => onChange({ ...condition, withinDays })} />
          <PropertiesSelect label={t('segments.editor.properties')} value={condition.propertyIds} onChange={(propertyIds) => onChange({ ...condition, propertyIds })} />
        </Flex>
      );
    case 'in_house':
      return <PropertiesSelect label={t('segments.editor.properties')} value={condition.propertyIds} onChange={(propertyIds) => onChange({ ...condition, propertyIds })} />;
    case 'interaction':
      return (
        <Flex gap={8} wrap align="center">
          <Select
            aria-label={t('segments.editor.interactionKind')}
            value={condition.kind}
            onChange={(kind) => onChange({ ...condition, kind })}
            style={{ width: 180 }}
            options={INTERACTION_KINDS.map((kind) => ({ value: kind, label: labels.interactionKind(kind) }))}
          />
          <Text>{t('segments.editor.inLast')}</Text>
          <DaysInput label={t('segments.editor.withinDaysOptional')} value={condition.withinDays} onChange={(withinDays) => onChange({ ...condition, withinDays })} />
          <Input
            aria-label={t('segments.editor.campaignId')}
            placeholder={t('segments.editor.campaignId')}
            value={condition.campaignId ?? ''}
            onChange={(event) => onChange({ ...condition, campaignId: event.target.value })}
            style={{ width: 200 }}
            allowClear
          />
          <Input
            aria-label={t('segments.editor.actionId')}
            placeholder={t('segments.editor.actionId')}
            value={condition.actionId ?? ''}
            onChange={(event) => onChange({ ...condition, actionId: event.target.value })}
            style={{ width: 160 }}
            maxLength={100}
            allowClear
          />
        </Flex>
      );
  }
}
