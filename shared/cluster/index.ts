export * from './candidate';
export * from './cluster';
export * from './russian-stemmer';
export * from './text';
export * from './quality';
export * from './operations';
