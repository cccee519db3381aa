import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { FileAsset } from '@monitored/cdktf-monitoring';
import { synthJson, testApp } from '../../support/synth';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-asset-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const target = path.join(dir, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  return target;
}

describe('FileAsset', () => {
  it('is at assets/<id>/<hash>/<name>, the hash following the content and what it is told to hash', () => {
    const stack = new TerraformStack(testApp(), 'test');
    const a = new FileAsset(stack, 'a', { sourceFile: file('a/code.zip', 'one') });
    const same = new FileAsset(stack, 'same', { sourceFile: file('b/code.zip', 'one') });
    const other = new FileAsset(stack, 'other', { sourceFile: file('c/code.zip', 'two') });
    const told = new FileAsset(stack, 'told', {
      sourceFile: file('d/code.zip', 'one'),
      alsoHash: ['syn-nodejs-puppeteer-15.0'],
    });
    const hashOf = (asset: FileAsset) => asset.path.split('/')[2];

    expect(a.path).toMatch(/^assets\/a_asset_[0-9A-F]{8}\/[0-9a-f]{32}\/code\.zip$/);
    expect(hashOf(same)).toBe(hashOf(a));
    expect(hashOf(other)).not.toBe(hashOf(a));
    expect(hashOf(told)).not.toBe(hashOf(a));
  });

  it('copies its file to that path in the synthesized stack', () => {
    const app = testApp();
    const stack = new TerraformStack(app, 'test');
    const asset = new FileAsset(stack, 'code', { sourceFile: file('e/code.zip', 'bytes') });
    new TerraformOutput(stack, 'path', { value: asset.path });
    app.synth();
    const copied = path.join(app.outdir, 'stacks', 'test', asset.path);
    expect(fs.readFileSync(copied, 'utf8')).toBe('bytes');
    expect(synthJson(stack).output('path')).toBe(asset.path);
  });

  it('tells the policy rules which file each synthesized path stands for', () => {
    const stack = new TerraformStack(testApp(), 'test');
    const source = file('f/code.zip', 'zip');
    const asset = new FileAsset(stack, 'code', { sourceFile: source });
    expect(FileAsset.sources(stack)).toEqual(new Map([[asset.path, source]]));
  });
});
