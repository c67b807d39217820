import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from './error-message.ts';

/** A whole page (or panel) could not load: say why and offer to try again. */
export function QueryErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={t('errors.loadFailed')}
      subTitle={errorMessageOf(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}
