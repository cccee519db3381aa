/**
 * A value that is the same for every test file, computed once per Jest worker (see
 * worker-environment.ts) and handed to each file as its own copy. Only for values that are JSON and
 * depend on nothing but `key`: the key must name every input.
 */
export function workerMemo<T>(key: string, compute: () => T): T {
  const memo = (globalThis as { __workerMemo?: Map<string, string> }).__workerMemo;
  if (memo === undefined) return compute();
  let text = memo.get(key);
  if (text === undefined) {
    text = JSON.stringify(compute());
    memo.set(key, text);
  }
  return JSON.parse(text) as T;
}
