export * from './errors/index.ts';
export * from './locales.ts';
export * from './permissions.ts';
export * from './member-labels.ts';
export * from './glossary.ts';
export * from './vocabulary.ts';
export * from './campaigns.ts';
export * from './automation.ts';
