import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PolicyRule } from '../types';

const HANDLER = /^([\w-]+(?:\/[\w-]+)*)\.([A-Za-z_$][\w$]*)$/;
const EXTENSIONS = ['js', 'mjs'];

/** From 11.0 a puppeteer runtime also loads the handler's file from the zip's root. */
function loadsFromRoot(runtime: unknown): boolean {
  const version = typeof runtime === 'string' ? /-puppeteer-(\d+)\./.exec(runtime) : null;
  return version !== null && Number(version[1]) >= 11;
}

/**
 * The canary's zip is there and holds its handler where the runtime looks for it. A wrong layout
 * is accepted at deploy and fails every run ("Cannot find module '/opt/nodejs/node_modules/…'"),
 * so the rule opens the zip that the synthesized `zip_file` stands for (a FileAsset's source).
 */
export const syntheticsCanaryZip: PolicyRule = {
  id: 'synthetics-canary-zip',
  description: "A canary's zip exists and holds its handler where the runtime loads it",
  resourceTypes: ['aws_synthetics_canary'],
  check(canary, _stack, { assetSources, readZip }) {
    const zipFile = canary.config.zip_file;
    if (typeof zipFile !== 'string') {
      return canary.config.s3_bucket === undefined
        ? 'no zip_file'
        : 'the code is in S3 (s3_bucket), which synth cannot open: give the canary a zip_file';
    }
    const source = assetSources.get(zipFile) ?? (path.isAbsolute(zipFile) ? zipFile : undefined);
    if (source === undefined)
      return `zip_file ${zipFile} is not a file this stack copies (a FileAsset), so synth cannot open it`;
    if (!fs.existsSync(source)) return `zip_file ${zipFile}: ${source} does not exist`;
    if (readZip === undefined)
      return `zip_file ${zipFile}: no zip reader was given to the checks (readZip), so the handler cannot be found in it`;
    let entries: ReadonlyMap<string, Buffer>;
    try {
      entries = readZip(source);
    } catch (error: unknown) {
      return `zip_file ${zipFile} (${source}) is not a readable zip: ${error instanceof Error ? error.message : String(error)}`;
    }

    const handler = canary.config.handler;
    const parts = typeof handler === 'string' ? HANDLER.exec(handler) : null;
    if (parts === null) return `handler ${JSON.stringify(handler)} is not <file>.<function>`;
    const [, file, exported] = parts;
    const folders = loadsFromRoot(canary.config.runtime_version)
      ? ['nodejs/node_modules/', '']
      : ['nodejs/node_modules/'];
    const candidates = folders.flatMap((folder) =>
      EXTENSIONS.map((extension) => `${folder}${file}.${extension}`),
    );
    const found = candidates.find((name) => entries.has(name));
    if (found === undefined) {
      const has = [...entries.keys()].slice(0, 5).join(', ');
      return `handler ${handler} needs ${candidates.filter((name) => name.endsWith('.js')).join(' or ')} in the zip, which has ${has === '' ? 'nothing' : has}`;
    }
    const code = entries.get(found)?.toString('utf8') ?? '';
    if (!new RegExp(`\\b${exported.replace(/\$/g, '\\$')}\\b`).test(code))
      return `${found} in the zip never mentions "${exported}", the function handler ${handler} calls`;
    return undefined;
  },
};
