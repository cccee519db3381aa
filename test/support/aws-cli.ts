import { execFile } from 'node:child_process';

export interface AwsCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The real AWS CLI (`aws` on PATH), as a person runs it against a local endpoint: credentials
 * DynamoDB Local accepts, and none of this machine's own configuration or profiles.
 */
export function awsCli(args: readonly string[]): Promise<AwsCliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      args,
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-west-2',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}
