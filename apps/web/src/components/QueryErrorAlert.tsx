import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from './error-message.ts';

/** A list or card could not load; shown in place of its content, with a retry. */
export function QueryErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('errors.loadFailed')}
      description={errorMessageOf(error)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
