export * from './errors.ts';
export * from './locales.ts';
export * from './permissions.ts';
