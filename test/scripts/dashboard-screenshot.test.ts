// @tier e2e
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../local/ports';
import { startFedMonitor, type FedMonitor } from '../support/monitor';
import { runScript } from '../support/processes';

const USAGE = 'Usage: npm run dashboard:screenshot -- <monitor URL> <output.png>';

let folder: string;
beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-screenshot-'));
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('npm run dashboard:screenshot', () => {
  it.each([
    ['no arguments', [], /give the monitor URL and the output file/],
    ['a URL that is not one', ['not a url', 'out.png'], /"not a url" is not a URL/],
    [
      'an output that is not a PNG',
      ['http://127.0.0.1:1/', 'out.jpg'],
      /the output must be a \.png file/,
    ],
    [
      'an output in a folder that does not exist',
      ['http://127.0.0.1:1/', '/no/such/folder/out.png'],
      /its folder does not exist/,
    ],
    // Its folder exists, and the file can still not be made (nothing can be made in /proc).
    [
      'an output that cannot be written',
      ['http://127.0.0.1:1/', '/proc/msgs-nope.png'],
      /\/proc\/msgs-nope\.png: cannot write this file \(ENOENT/,
    ],
    [
      'a width out of range',
      ['http://127.0.0.1:1/', 'out.png', '--width', '10'],
      /--width must be a whole number of pixels from 320 to 3840/,
    ],
    [
      'a width in hexadecimal',
      ['http://127.0.0.1:1/', 'out.png', '--width', '0x500'],
      /--width "0x500" is not a whole number of 0 or more \(digits only\)/,
    ],
  ])('exits 2 with the usage for %s', async (_case, args, message) => {
    const { code, output } = await runScript('dashboard-screenshot', args);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output).toContain(USAGE);
  });

  it('exits 1 naming the problem when no monitor answers', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const { code, output } = await runScript('dashboard-screenshot', [
      url,
      path.join(folder, 'none.png'),
    ]);
    expect(code).toBe(1);
    expect(output).toMatch(/^dashboard screenshot failed: .*ERR_CONNECTION_REFUSED/m);
    expect(fs.existsSync(path.join(folder, 'none.png'))).toBe(false);
  });

  describe('against a running monitor', () => {
    let monitor: FedMonitor;
    beforeAll(async () => {
      monitor = await startFedMonitor('dev');
    });
    afterAll(() => monitor.server.stop());

    it('writes a PNG of the whole drawn page at the width asked', async () => {
      const file = path.join(folder, 'dashboard.png');
      const { code, output } = await runScript('dashboard-screenshot', [
        `${monitor.server.url}/`,
        file,
        '--width',
        '1000',
      ]);
      expect({ code, output }).toEqual({
        code: 0,
        output: expect.stringContaining(`${file}: the dashboard at`),
      });
      const size = pngSize(file);
      expect(size.width).toBe(1000);
      // The whole page, far taller than the 900 px window: 62 grid rows of widgets.
      expect(size.height).toBeGreaterThan(2000);
    });
  });
});
