// @tier e2e
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { treeCpuSeconds } from '../../../tools/bench/process-cpu';

describe('treeCpuSeconds', () => {
  it('counts the CPU time of a process and of the processes below it', async () => {
    const script = `
      const burn = () => { const t = process.cpuUsage(); while (process.cpuUsage(t).user < 500000); };
      if (process.argv.includes('child')) { burn(); console.log('burnt'); setInterval(() => {}, 1000); }
      else {
        require('node:child_process').spawn(process.execPath, ['-e', process.argv[1], '--', 'x', 'child'], { stdio: 'inherit' });
        burn(); console.log('burnt'); setInterval(() => {}, 1000);
      }`;
    const parent = spawn(process.execPath, ['-e', script, '--', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // Its own process group, so that ending the group ends the child too.
      detached: true,
    });
    try {
      let burnt = 0;
      await new Promise<void>((resolve, reject) => {
        readline.createInterface({ input: parent.stdout }).on('line', (line) => {
          if (line === 'burnt' && ++burnt === 2) resolve();
        });
        parent.once('exit', () => reject(new Error('the parent exited early')));
      });

      const seconds = treeCpuSeconds(parent.pid ?? 0);

      expect(seconds).toBeGreaterThanOrEqual(0.9);
    } finally {
      process.kill(-(parent.pid ?? 0), 'SIGKILL');
    }
  });

  it('is 0 for a process that does not exist', () => {
    expect(treeCpuSeconds(2 ** 22 + 1)).toBe(0);
  });
});
