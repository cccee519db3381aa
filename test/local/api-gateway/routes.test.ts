import { DEFAULT_ROUTE, MESSAGES_PATH, messagePath, ROUTES } from '../../../contract/api';
import { matchRoute } from '../../../local/api-gateway/routes';

describe('matchRoute', () => {
  it.each([
    ['GET', '/messages', { routeKey: ROUTES.countMessages }],
    ['POST', '/messages', { routeKey: ROUTES.createMessage }],
    [
      'GET',
      '/messages/00000000-0000-4000-8000-000000000000',
      {
        routeKey: ROUTES.getMessage,
        pathParameters: { id: '00000000-0000-4000-8000-000000000000' },
      },
    ],
  ])('%s %s → the route of the stack', (method, path, expected) => {
    expect(matchRoute(method, path)).toEqual(expected);
  });

  it('percent-decodes path parameters, and keeps a malformed escape as sent', () => {
    expect(matchRoute('GET', '/messages/caf%C3%A9%20%E2%9C%93')?.pathParameters).toEqual({
      id: 'café ✓',
    });
    expect(matchRoute('GET', '/messages/100%')?.pathParameters).toEqual({ id: '100%' });
  });

  it("takes the contract's paths to their routes, a message's id back whole whatever it holds", () => {
    const id = 'a/b c%?#';

    const collection = matchRoute('GET', MESSAGES_PATH);
    const one = matchRoute('GET', messagePath(id));

    expect(collection).toEqual({ routeKey: ROUTES.countMessages });
    expect(one).toEqual({ routeKey: ROUTES.getMessage, pathParameters: { id } });
  });

  it.each([
    ['DELETE', '/messages'],
    ['PUT', '/messages/abc'],
    ['GET', '/'],
    ['GET', '/messages/'],
    ['GET', '/messages/a/b'],
  ])('%s %s → the $default route, so the function answers its own JSON 404', (method, path) => {
    expect(matchRoute(method, path)).toEqual({ routeKey: DEFAULT_ROUTE });
  });
});
