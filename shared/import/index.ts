export * from './errors';
export * from './csv';
export * from './decode';
export * from './xlsx';
export * from './mapping';
export * from './normalize';
export * from './territory';
export * from './appeals';
