import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { placeServerErrors, toFieldPath } from './form-errors.ts';

describe('placeServerErrors', () => {
  it('puts validation issues on the matching fields, nested paths included', () => {
    const error = new ApiError(400, 'request.validation', 'Some fields are invalid', {
      issues: [
        { path: 'email', code: 'invalid_format', message: 'Enter a valid email address.' },
        { path: 'properties.1.code', code: 'invalid_format', message: 'Use letters.' },
        { path: 'timezone', code: 'too_big', message: 'Too long.' },
      ],
    });
    const placed = placeServerErrors(error, ['email', 'properties']);
    expect(placed.fieldErrors).toEqual([
      { name: ['email'], errors: ['Enter a valid email address.'] },
      { name: ['properties', 1, 'code'], errors: ['Use letters.'] },
    ]);
    expect(placed.unplaced).toEqual(['Too long.']);
  });

  it('puts a domain error on details.field', () => {
    const error = new ApiError(409, 'account.email_taken', 'This email address is already in use.', { field: 'email' });
    expect(placeServerErrors(error, ['email']).fieldErrors).toEqual([{ name: ['email'], errors: ['This email address is already in use.'] }]);
  });

  it('leaves errors without a field for a general notice', () => {
    const error = new ApiError(409, 'role.in_use', 'Accounts still use this role.');
    expect(placeServerErrors(error, ['name'])).toEqual({ fieldErrors: [], unplaced: ['Accounts still use this role.'] });
  });
});

describe('toFieldPath', () => {
  it('turns numeric segments into list indexes', () => {
    expect(toFieldPath('administrator.email')).toEqual(['administrator', 'email']);
    expect(toFieldPath('properties.0.name')).toEqual(['properties', 0, 'name']);
  });
});
