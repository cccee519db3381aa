import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';

export interface FileAssetProps {
  /** The file to copy into the stack's output, e.g. a zip from bundling/. */
  readonly sourceFile: string;
  /**
   * Settings that must give the asset a new path when they change although the file does not
   * (a canary's runtime: the provider refuses a runtime change without new code). @default none
   */
  readonly alsoHash?: readonly string[];
}

/**
 * One file copied into the stack's output at `assets/<id>/<hash>/<name>`: the path changes with
 * the content (providers that do not notice new content at an old path, such as the canary's
 * zip_file, see a new path), and unchanged content is no diff. It remembers the file it came from,
 * so that the policy rules can open what a synthesized path stands for (`FileAsset.sources`).
 */
export class FileAsset extends Construct {
  /** The path Terraform reads, relative to the synthesized stack. */
  public readonly path: string;
  /** The absolute path of the file on this machine. */
  public readonly sourceFile: string;

  constructor(scope: Construct, id: string, props: FileAssetProps) {
    super(scope, id);
    this.sourceFile = path.resolve(props.sourceFile);
    const hash = createHash('sha256').update(fs.readFileSync(this.sourceFile));
    for (const extra of props.alsoHash ?? []) hash.update('\0').update(extra);
    const asset = new TerraformAsset(this, 'asset', {
      path: this.sourceFile,
      type: AssetType.FILE,
      assetHash: hash.digest('hex').slice(0, 32),
    });
    this.path = asset.path;
  }

  /** Each FileAsset under `scope`, by its synthesized path: what the policy rules may open. */
  static sources(scope: Construct): ReadonlyMap<string, string> {
    return new Map(
      scope.node
        .findAll()
        .filter((node): node is FileAsset => node instanceof FileAsset)
        .map((asset) => [asset.path, asset.sourceFile]),
    );
  }
}
