import { WarningFilled } from '@ant-design/icons';
import { Button, ConfigProvider } from 'antd';
import useResultStyle from 'antd/es/result/style';
import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from './error-message.ts';
// antd's Result's rules: this is its markup for status="warning" (see below).
import 'virtual:antd-style/result.css';

/**
 * A whole page (or panel) could not load: say why and offer to try again. antd's `<Result status="warning">` drawn with
 * its own markup and class names: the session gate and every page's loader show it, so it is part of the first
 * script, and antd's Result component would bring its 403/404/500 illustrations (~37 kB) with it. Result's own
 * style hook still runs: it writes Result's tokens (the icon's and the title's sizes) as CSS variables.
 */
export function QueryErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const prefixCls = useContext(ConfigProvider.ConfigContext).getPrefixCls('result');
  const [hashId, cssVarCls] = useResultStyle(prefixCls);
  return (
    <div className={[prefixCls, `${prefixCls}-warning`, hashId, cssVarCls].filter(Boolean).join(' ')}>
      <div className={`${prefixCls}-icon`}>
        <WarningFilled />
      </div>
      <div className={`${prefixCls}-title`}>{t('errors.loadFailed')}</div>
      <div className={`${prefixCls}-subtitle`}>{errorMessageOf(error)}</div>
      {onRetry ? (
        <div className={`${prefixCls}-extra`}>
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </div>
      ) : null}
    </div>
  );
}
