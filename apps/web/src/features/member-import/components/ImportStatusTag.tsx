import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportStatus } from '../api.ts';

const STATUS_COLORS: Record<ImportStatus, string> = { uploaded: 'default', checking: 'processing', checked: 'blue', queued: 'processing', importing: 'processing', completed: 'green', failed: 'red' };

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{t(`memberImport.status.${status}`)}</Tag>;
}
