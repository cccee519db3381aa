export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits, at most `timeoutMs`, for every process in `pids` to exit, and returns those still alive.
 * A poll: the kernel offers no event for the exit of a process that is not our child.
 */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const alive = () => pids.filter(isAlive);
  while (alive().length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return alive();
}
