import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { isApiError } from './api-error.ts';
import { placeServerErrors } from './form-errors.ts';
import { i18n } from './i18n.ts';

/**
 * Maps a failed submission onto the form: field issues go under their inputs (form.setFields), anything else becomes
 * `formError`, which the form shows in an Alert above its buttons. Pass `fields` as a module-level constant.
 */
export function useFormError(form: FormInstance, fields: readonly string[]) {
  const [formError, setFormError] = useState<string>();

  const onError = useCallback(
    (error: unknown) => {
      if (!isApiError(error)) {
        setFormError(i18n.t('errors.unexpected'));
        return;
      }
      const { fieldErrors, unplaced } = placeServerErrors(error, fields);
      form.setFields(fieldErrors);
      setFormError(unplaced.length > 0 ? unplaced.join(' ') : undefined);
    },
    [form, fields],
  );

  const clearFormError = useCallback(() => setFormError(undefined), []);
  return { formError, onError, clearFormError, setFormError };
}
