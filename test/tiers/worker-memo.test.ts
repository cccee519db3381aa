import { randomUUID } from 'node:crypto';
import { workerMemo } from '../support/worker-memo';

describe('workerMemo', () => {
  it('is backed by the memo the worker environment keeps across test files', () => {
    const memo = (globalThis as { __workerMemo?: unknown }).__workerMemo;

    // A Map of the worker's own realm, not this file's: instanceof would say no.
    expect(Object.prototype.toString.call(memo)).toBe('[object Map]');
  });

  it('computes a key once and hands out copies, so no file sees what another changed', () => {
    const key = `test ${randomUUID()}`;
    let computed = 0;
    const compute = () => {
      computed += 1;
      return { stacks: ['dev', 'prod'] };
    };

    const first = workerMemo(key, compute);
    first.stacks.push('changed');
    const second = workerMemo(key, compute);

    expect(computed).toBe(1);
    expect(second).toEqual({ stacks: ['dev', 'prod'] });
  });
});
