import { DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ActionDraft } from '../messages.ts';
import { fieldId, fieldProps, issueProps, type Issues } from './field-issues.ts';

type Props = {
  action: ActionDraft;
  onChange: (next: ActionDraft) => void;
  onRemove: (() => void) | undefined;
  labelMax: number;
  /** The campaign's tags: a button gives only these. */
  campaignTags: Array<{ id: string; name: string }>;
  path: string;
  issues: Issues;
  disabled: boolean;
};

/** One button: its label, what a tap does (open an https link or record a postback) and the tags it gives. */
export function ActionEditor({ action, onChange, onRemove, labelMax, campaignTags, path, issues, disabled }: Props) {
  const { t } = useTranslation();
  const change = (patch: Partial<ActionDraft>) => onChange({ ...action, ...patch });
  return (
    <Card size="small" styles={{ body: { paddingBottom: 0 } }} data-testid="action-editor">
      <Flex gap={8} wrap align="flex-start">
        <Form.Item label={t('campaigns.action.label')} style={{ flex: '1 1 160px' }} {...fieldProps(issues, `${path}.label`)}>
          <Input id={fieldId(`${path}.label`)} value={action.label} maxLength={labelMax} showCount disabled={disabled} onChange={(e) => change({ label: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('campaigns.action.type')} style={{ flex: '0 1 200px' }} htmlFor={fieldId(`${path}.type`)}>
          <Select<ActionDraft['type']>
            id={fieldId(`${path}.type`)}
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
          <Input id={fieldId(`${path}.uri`)} value={action.uri ?? ''} placeholder="https://" maxLength={1000} disabled={disabled} onChange={(e) => change({ uri: e.target.value })} />
        </Form.Item>
      ) : (
        <Form.Item label={t('campaigns.action.displayText')} {...fieldProps(issues, `${path}.displayText`)}>
          <Input id={fieldId(`${path}.displayText`)} value={action.displayText ?? ''} maxLength={300} disabled={disabled} onChange={(e) => change({ displayText: e.target.value })} />
        </Form.Item>
      )}
      <Form.Item label={t('campaigns.action.tags')} htmlFor={fieldId(`${path}.tagIds`)} {...issueProps(issues, `${path}.tagIds.0`)}>
        <Select
          id={fieldId(`${path}.tagIds`)}
          mode="multiple"
          value={action.tagIds}
          disabled={disabled}
          placeholder={campaignTags.length > 0 ? t('campaigns.action.tagsPlaceholder') : t('campaigns.action.noCampaignTags')}
          onChange={(tagIds: string[]) => change({ tagIds })}
          options={campaignTags.map((tag) => ({ value: tag.id, label: tag.name }))}
          notFoundContent={t('campaigns.action.noCampaignTags')}
        />
      </Form.Item>
    </Card>
  );
}
