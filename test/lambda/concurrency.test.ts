// @tier e2e
import { ROUTES } from '../../contract/api';
import {
  apiEvent,
  createEvent,
  getEvent,
  startTestFunction,
  type TestFunction,
} from '../support/local-function';

let fn: TestFunction;

beforeAll(async () => {
  fn = await startTestFunction();
});
afterAll(() => fn.fn.stop());

const count = async () =>
  (
    JSON.parse((await fn.invoke(apiEvent({ routeKey: ROUTES.countMessages }))).body) as {
      count: number;
    }
  ).count;

describe('500 concurrent creates', () => {
  it('raise the count by exactly 500, and every returned id reads back with its text', async () => {
    const before = await count();
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => fn.invoke(createEvent({ message: `concurrent ${i}` }))),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(500).fill(201));
    const created = responses.map(
      (response) => JSON.parse(response.body) as { id: string; message: string },
    );
    expect(new Set(created.map((message) => message.id)).size).toBe(500);
    expect(await count()).toBe(before + 500);

    const reads = await Promise.all(created.map((message) => fn.invoke(getEvent(message.id))));
    reads.forEach((read, i) => {
      expect(read.statusCode).toBe(200);
      expect(JSON.parse(read.body)).toMatchObject({
        id: created[i].id,
        message: created[i].message,
      });
    });
  }, 120_000);
});
