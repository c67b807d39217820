import { describe, expect, it } from 'vitest';
import { nameRules } from './name-rules.ts';

type Validator = (rule: unknown, value: unknown) => Promise<void>;

describe('nameRules', () => {
  const [required, cleaned] = nameRules('請輸入名稱。');
  const validate = (value: unknown) => (cleaned as { validator: Validator }).validator({}, value);

  it('requires a name, and refuses one of spaces or invisible characters only with the same words', async () => {
    expect(required).toEqual({ required: true, message: '請輸入名稱。' });
    await expect(validate('\u200B\u200E')).rejects.toThrow('請輸入名稱。');
    await expect(validate('  \u200B ')).rejects.toThrow('請輸入名稱。');
  });

  it('leaves an empty field to the required rule (one message, not two) and passes a real name', async () => {
    await expect(validate('')).resolves.toBeUndefined();
    await expect(validate(undefined)).resolves.toBeUndefined();
    await expect(validate('夜班\u200B櫃台')).resolves.toBeUndefined();
  });
});
