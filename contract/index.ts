/**
 * What the infrastructure (stacks/), the runtime code (lambda/, website/, canaries/) and the local
 * system (local/) must agree on, one module per consumer. Runtime code imports these modules and
 * nothing from stacks/.
 */
export * from './api';
export * from './canaries';
export * from './function';
export * from './local-ports';
export * from './logs';
export * from './website';
