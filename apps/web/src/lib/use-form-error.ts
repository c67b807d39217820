import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { isApiError } from './api-error.ts';
import { placeServerErrors } from './form-errors.ts';
import { i18n } from './i18n.ts';

/**
 * Maps a failed submission onto the form: field issues go under their inputs (form.setFields), anything else becomes
 * `formError`, which the form shows in an Alert above its buttons. Pass `fields` as a module-level constant. The first
 * field refused is scrolled into view and focused: in a long form (a role's twelve permissions) the button pressed is
 * far below the name, and a refusal out of sight looked like nothing happened (browser review).
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
      if (fieldErrors[0]) form.scrollToField(fieldErrors[0].name, { block: 'center', focus: true });
      setFormError(unplaced.length > 0 ? unplaced.join(' ') : undefined);
    },
    [form, fields],
  );

  const clearFormError = useCallback(() => setFormError(undefined), []);
  return { formError, onError, clearFormError, setFormError };
}
