import { WarningFilled } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from './error-message.ts';
// antd's Result's rules: this is its markup for status="warning" (see below).
import 'virtual:antd-style/result.css';

/**
 * A whole page (or panel) could not load: say why and offer to try again. antd's `<Result status="warning">` drawn with
 * its own markup and class names: the session gate and every page's loader show it, so it is part of the first
 * script, and antd's Result component would bring its 403/404/500 illustrations (~37 kB) with it.
 */
export function QueryErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="ant-result ant-result-warning">
      <div className="ant-result-icon">
        <WarningFilled />
      </div>
      <div className="ant-result-title">{t('errors.loadFailed')}</div>
      <div className="ant-result-subtitle">{errorMessageOf(error)}</div>
      {onRetry ? (
        <div className="ant-result-extra">
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </div>
      ) : null}
    </div>
  );
}
