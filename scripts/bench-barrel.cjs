// Loaded with --require by scripts/bench.ts: the same app, importing the provider from its package
// root. Each deep import `@cdktf/provider-aws/lib/<resource>` is answered with the package root's
// export of that resource (`require('@cdktf/provider-aws').s3Bucket`), which is exactly what
// `import { s3Bucket } from '@cdktf/provider-aws'` compiles to: the root module, and every module
// it requires, is loaded. No second copy of the app is kept for the comparison.
const Module = require('node:module');

const DEEP_IMPORT = /^@cdktf\/provider-aws\/lib\/([a-z0-9-]+)$/;
const load = Module._load;

Module._load = function loadFromPackageRoot(request, parent, isMain) {
  const deep = DEEP_IMPORT.exec(request);
  if (deep === null) return load.call(this, request, parent, isMain);
  const root = load.call(this, '@cdktf/provider-aws', parent, isMain);
  const name = deep[1].replace(/-([a-z0-9])/g, (_, letter) => letter.toUpperCase());
  if (!(name in root)) throw new Error(`@cdktf/provider-aws exports no ${name} (for ${request})`);
  return root[name];
};
