import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZip, writeZip } from '../../bundling/zip';

describe('writeZip', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes entries that read back byte for byte, names in UTF-8 and nested paths included', () => {
    const entries = [
      { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n'.repeat(1000)) },
      { name: 'nodejs/node_modules/journey-ü.js', data: Buffer.from([0, 1, 2, 255]) },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ];
    writeZip(path.join(dir, 'a.zip'), entries);
    const files = readZip(path.join(dir, 'a.zip'));
    expect([...files.keys()].sort()).toEqual(entries.map((entry) => entry.name).sort());
    for (const entry of entries) expect(files.get(entry.name)?.equals(entry.data)).toBe(true);
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
