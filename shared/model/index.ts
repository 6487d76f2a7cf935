export * from './records';
export * from './collection';
export * from './schema-version';
export * from './workspace-index';
export * from './board-doc';
export * from './workspace';
export * from './layout';
export * from './dataset-doc';
