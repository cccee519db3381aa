// @tier e2e
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleCanaries } from '../../bundling/canaries';
import { bundleLambda } from '../../bundling/lambda';
import { readZip, writeZip } from '../../bundling/zip';
import { CANARY_NAMES } from '../../contract/canaries';
import { readZipWithPython } from '../support/python-zip';

const REGULAR_FILE_0644 = 0o100644;
const DEFLATE = 8;
const EARLIEST_DOS_TIME = [1980, 1, 1, 0, 0, 0];

describe('writeZip', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const entries = [
    { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n'.repeat(1000)) },
    { name: 'nodejs/node_modules/journey-ü.js', data: Buffer.from([0, 1, 2, 255]) },
    { name: 'empty.txt', data: Buffer.alloc(0) },
  ];

  it('writes entries that read back byte for byte, names in UTF-8 and nested paths included', () => {
    writeZip(path.join(dir, 'a.zip'), entries);
    const files = readZip(path.join(dir, 'a.zip'));
    expect([...files.keys()].sort()).toEqual(entries.map((entry) => entry.name).sort());
    for (const entry of entries) expect(files.get(entry.name)?.equals(entry.data)).toBe(true);
  });

  it("writes a zip that Python's zipfile reads the same: CRCs, UTF-8 names, 0644 files, deflate, a fixed date", () => {
    writeZip(path.join(dir, 'a.zip'), entries);
    const zip = readZipWithPython(path.join(dir, 'a.zip'));
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries.map((entry) => entry.name).sort()).toEqual(
      entries.map((entry) => entry.name).sort(),
    );
    for (const entry of zip.entries) {
      const written = entries.find((candidate) => candidate.name === entry.name);
      expect(entry.data.equals(written!.data)).toBe(true);
      expect(entry).toMatchObject({
        mode: REGULAR_FILE_0644,
        utf8Name: true,
        compression: DEFLATE,
        dateTime: EARLIEST_DOS_TIME,
      });
    }
  });

  it('is deterministic: the same files give the same bytes, whatever their order', () => {
    const a = { name: 'a.js', data: Buffer.from('a') };
    const b = { name: 'b.js', data: Buffer.from('b') };
    writeZip(path.join(dir, '1.zip'), [a, b]);
    writeZip(path.join(dir, '2.zip'), [b, a]);
    expect(
      fs.readFileSync(path.join(dir, '1.zip')).equals(fs.readFileSync(path.join(dir, '2.zip'))),
    ).toBe(true);
  });
});

describe("the deployed zips, read by Python's zipfile", () => {
  it('the function: index.js and its source map, as bundled', () => {
    const bundle = bundleLambda();
    const zip = readZipWithPython(bundle.zipFile);
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries.map((entry) => entry.name).sort()).toEqual(['index.js', 'index.js.map']);
    for (const entry of zip.entries)
      expect(entry.data.equals(fs.readFileSync(path.join(bundle.directory, entry.name)))).toBe(
        true,
      );
  });

  it.each(CANARY_NAMES)('the %s canary: its script where the runtime loads it', (name) => {
    const bundle = bundleCanaries()[name];
    const zip = readZipWithPython(bundle.zipFile);
    expect(zip.firstBadEntry).toBeNull();
    const script = `nodejs/node_modules/${name}.js`;
    expect(zip.entries.map((entry) => entry.name)).toEqual([script]);
    // The same bytes the local runner unpacks with readZip and the journey tests run.
    expect(zip.entries[0].data.equals(readZip(bundle.zipFile).get(script)!)).toBe(true);
  });
});
