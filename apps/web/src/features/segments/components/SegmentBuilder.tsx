import { ApartmentOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Dropdown, Flex, Radio, Tag, Tooltip, Typography, theme, type MenuProps } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { CONDITION_GROUPS, conditionCount, type ConditionType, type DraftCondition, type DraftGroup, type DraftNode, isGroup, MAX_CONDITIONS, MAX_DEPTH, missingOf, newCondition, newGroup, removeNode, updateNode } from '../../members/index.ts';
import { ConditionEditor } from './ConditionEditor.tsx';

type Props = {
  value: DraftGroup;
  onChange: (next: DraftGroup) => void;
  /** Server messages per node key (see issuesByKey). */
  issues?: Map<string, string[]> | undefined;
  /** Show "not complete yet" hints (after the person tried to save, or always while counting). */
  showMissing?: boolean;
};

const DEPTH_COLORS = ['#0f766e', '#2563eb', '#9333ea', '#ea580c'];

/** The segment builder: a root group (AND/OR, NOT) of conditions and nested groups, at most four levels deep. */
export function SegmentBuilder({ value, onChange, issues, showMissing = true }: Props) {
  const { t } = useTranslation();
  const total = conditionCount(value);
  const rootIssues = issues?.get(value.key) ?? [];
  return (
    <Flex vertical gap={12} data-testid="segment-builder">
      <GroupEditor group={value} depth={1} root={value} onRootChange={onChange} issues={issues} showMissing={showMissing} full={total >= MAX_CONDITIONS} />
      {rootIssues.length > 0 ? <Alert type="error" showIcon role="alert" title={rootIssues.join(' ')} /> : null}
      {total >= MAX_CONDITIONS ? <Alert type="warning" showIcon title={t('segments.builder.tooManyConditions', { max: MAX_CONDITIONS })} /> : null}
    </Flex>
  );
}

type GroupProps = {
  group: DraftGroup;
  depth: number;
  root: DraftGroup;
  onRootChange: (next: DraftGroup) => void;
  issues: Map<string, string[]> | undefined;
  showMissing: boolean;
  full: boolean;
};

function GroupEditor({ group, depth, root, onRootChange, issues, showMissing, full }: GroupProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const isRoot = depth === 1;
  const change = (next: DraftNode) => onRootChange(updateNode(root, group.key, () => next));
  const add = (node: DraftNode) => change({ ...group, conditions: [...group.conditions, node] });
  const color = DEPTH_COLORS[(depth - 1) % DEPTH_COLORS.length];
  const groupIssues = isRoot ? [] : (issues?.get(group.key) ?? []);

  const menu: MenuProps['items'] = CONDITION_GROUPS.map((category) => ({
    type: 'group' as const,
    key: category.key,
    label: t(`segments.conditionGroup.${category.key}`),
    children: category.types.map((type) => ({ key: type, label: t(`segments.conditionType.${type}`) })),
  }));

  return (
    <section
      aria-label={isRoot ? t('segments.builder.rootGroup') : t('segments.builder.nestedGroup', { depth })}
      data-testid={isRoot ? 'segment-group-root' : 'segment-group'}
      data-depth={depth}
      style={{
        border: `1px solid ${token.colorBorderSecondary}`,
        borderInlineStart: `4px solid ${color}`,
        borderRadius: token.borderRadius,
        padding: 12,
        background: isRoot ? token.colorBgContainer : token.colorFillQuaternary,
      }}
    >
      <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: group.conditions.length > 0 ? 12 : 0 }}>
        <Flex gap={12} wrap align="center">
          <Typography.Text strong>{isRoot ? t('segments.builder.membersWho') : t('segments.builder.groupWho')}</Typography.Text>
          <Radio.Group
            aria-label={t('segments.builder.logic')}
            optionType="button"
            buttonStyle="solid"
            size="small"
            value={group.op}
            onChange={(event) => change({ ...group, op: event.target.value as 'and' | 'or' })}
            options={[
              { value: 'and', label: t('segments.builder.and') },
              { value: 'or', label: t('segments.builder.or') },
            ]}
          />
          <Checkbox checked={group.negate} onChange={(event) => change({ ...group, negate: event.target.checked })}>
            {t('segments.builder.negate')}
          </Checkbox>
        </Flex>
        {isRoot ? null : (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => onRootChange(removeNode(root, group.key))} aria-label={t('segments.builder.removeGroup')}>
            {t('segments.builder.removeGroupShort')}
          </Button>
        )}
      </Flex>

      <Flex vertical gap={8}>
        {group.conditions.length === 0 ? (
          <Typography.Text type="secondary">{isRoot ? t('segments.builder.emptyRoot') : t('segments.builder.emptyGroup')}</Typography.Text>
        ) : null}
        {group.conditions.map((node, index) => (
          <Fragment key={node.key}>
            {index > 0 ? (
              <div>
                <Tag color={group.op === 'and' ? 'blue' : 'orange'} style={{ marginInlineEnd: 0 }}>
                  {group.op === 'and' ? t('segments.builder.andJoin') : t('segments.builder.orJoin')}
                </Tag>
              </div>
            ) : null}
            {isGroup(node) ? (
              <GroupEditor group={node as DraftGroup} depth={depth + 1} root={root} onRootChange={onRootChange} issues={issues} showMissing={showMissing} full={full} />
            ) : (
              <ConditionRow
                condition={node as DraftCondition}
                issues={issues?.get(node.key) ?? []}
                showMissing={showMissing}
                onChange={(next) => onRootChange(updateNode(root, node.key, () => next))}
                onRemove={() => onRootChange(removeNode(root, node.key))}
              />
            )}
          </Fragment>
        ))}
        {groupIssues.length > 0 ? <Typography.Text type="danger">{groupIssues.join(' ')}</Typography.Text> : null}
      </Flex>

      <Flex gap={8} wrap style={{ marginTop: 12 }}>
        <Dropdown
          disabled={full}
          trigger={['click']}
          menu={{ items: menu, onClick: ({ key }) => add(newCondition(key as ConditionType)), style: { maxHeight: 420, overflow: 'auto' } }}
        >
          <Button size="small" icon={<PlusOutlined />} aria-label={t('segments.builder.addCondition')} data-testid={isRoot ? 'add-condition-root' : undefined}>
            {t('segments.builder.addCondition')}
          </Button>
        </Dropdown>
        <Tooltip title={depth >= MAX_DEPTH ? t('segments.builder.maxDepth', { max: MAX_DEPTH }) : undefined}>
          <Button size="small" icon={<ApartmentOutlined />} disabled={depth >= MAX_DEPTH || full} onClick={() => add(newGroup(group.op === 'and' ? 'or' : 'and'))} aria-label={t('segments.builder.addGroup')} data-testid={isRoot ? 'add-group-root' : undefined}>
            {t('segments.builder.addGroup')}
          </Button>
        </Tooltip>
      </Flex>
    </section>
  );
}

function ConditionRow({ condition, issues, showMissing, onChange, onRemove }: { condition: DraftCondition; issues: string[]; showMissing: boolean; onChange: (next: DraftCondition) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const name = t(`segments.conditionType.${condition.type}`);
  const missing = showMissing ? missingOf(condition) : undefined;
  const invalid = issues.length > 0;
  return (
    <div
      role="group"
      aria-label={t('segments.builder.conditionNamed', { name })}
      data-testid={`segment-condition-${condition.type}`}
      style={{
        border: `1px solid ${invalid ? token.colorError : token.colorBorder}`,
        borderRadius: token.borderRadius,
        padding: '8px 12px',
        background: token.colorBgContainer,
      }}
    >
      <Flex gap={12} align="flex-start" justify="space-between">
        <Flex gap={12} wrap align="center" style={{ flex: 1, minWidth: 0 }}>
          <Typography.Text strong style={{ minWidth: 96 }}>
            {name}
          </Typography.Text>
          <ConditionEditor condition={condition} onChange={(next) => onChange(next)} />
        </Flex>
        <Tooltip title={t('segments.builder.removeCondition')}>
          <Button type="text" size="small" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('segments.builder.removeConditionNamed', { name })} />
        </Tooltip>
      </Flex>
      {missing ? (
        <Typography.Text type="warning" style={{ display: 'block', marginTop: 4, fontSize: 12 }}>
          {t(`segments.missing.${missing}`)}
        </Typography.Text>
      ) : null}
      {invalid ? (
        <Typography.Text type="danger" role="alert" style={{ display: 'block', marginTop: 4, fontSize: 12 }}>
          {issues.join(' ')}
        </Typography.Text>
      ) : null}
    </div>
  );
}
