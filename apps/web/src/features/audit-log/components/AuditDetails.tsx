import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../api.ts';

/** The entry's details as indented JSON: rendered as text, so nothing in it can become markup. */
export function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const json = JSON.stringify(entry.details, null, 2);
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      items={[
        {
          key: 'details',
          label: t('audit.details'),
          children:
            Object.keys(entry.details).length === 0 ? (
              <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>
            ) : (
              <Typography.Paragraph copyable={{ text: json }} style={{ marginBottom: 0 }}>
                <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }} data-testid="audit-details">
                  {json}
                </pre>
              </Typography.Paragraph>
            ),
        },
        { key: 'target', label: t('audit.targetId'), children: entry.targetId || '—' },
        { key: 'request', label: t('audit.requestId'), children: <Typography.Text code>{entry.requestId}</Typography.Text> },
      ]}
    />
  );
}
