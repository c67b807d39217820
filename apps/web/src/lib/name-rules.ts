import { cleanName } from '@innkeeper/contracts';
import type { FormRule } from 'antd';

/**
 * A name field's rules as the server keeps names (cleanName: invisible characters removed, trimmed): required, and a
 * name of spaces or invisible characters only (a zero-width space pasted from a chat) is no name either. Said at the
 * field before anything is sent, in the words `message` gives, once (not twice when the field is simply empty).
 */
export function nameRules(message: string): FormRule[] {
  return [
    { required: true, message },
    { validator: (_, value: unknown) => (typeof value === 'string' && value !== '' && cleanName(value) === '' ? Promise.reject(new Error(message)) : Promise.resolve()) },
  ];
}
