// What is known independently of any recording: close codes and who may send them, libraries'
// private codes, proxies' idle timeouts, the diagnosis categories, and the words for all of it
// in English and Japanese (i18n/).
export * from './close-codes.ts';
export * from './intermediaries.ts';
export * from './i18n/index.ts';
export * from './categories.ts';
