import { isApiError } from '../lib/api-error.ts';
import { i18n } from '../lib/i18n.ts';

/** The server's localized message when there is one; a generic sentence otherwise. */
export function errorMessageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.t('errors.unexpected');
}
