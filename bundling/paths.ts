import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Git-ignored folder for everything built from source: bundles, the website, local data. */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build');
