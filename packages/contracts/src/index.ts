export * from './errors.ts';
export * from './locales.ts';
export * from './permissions.ts';
export * from './member-labels.ts';
export * from './glossary.ts';
export * from './campaigns.ts';
