import { DEFAULT_ROUTE, ROUTES } from '../../contract/api';

/** The route API Gateway chose for a request, as the event carries it. */
export interface RouteMatch {
  readonly routeKey: string;
  /** The values of the route's `{name}` segments, percent-decoded; absent when it has none. */
  readonly pathParameters?: Record<string, string>;
}

interface RouteMatcher {
  readonly routeKey: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

const MATCHERS: readonly RouteMatcher[] = Object.values(ROUTES).map((routeKey) => {
  const [method, template] = routeKey.split(' ');
  const parameterNames: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { routeKey, method, pattern: new RegExp(`^${source}$`), parameterNames };
});

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The stack's route for `method` and `path` (as sent, percent-encoded): one of ROUTES, or the
 * `$default` route that the stack sends to the function for everything else.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  for (const matcher of MATCHERS) {
    if (matcher.method !== method) continue;
    const match = matcher.pattern.exec(path);
    if (match === null) continue;
    if (matcher.parameterNames.length === 0) return { routeKey: matcher.routeKey };
    return {
      routeKey: matcher.routeKey,
      pathParameters: Object.fromEntries(
        matcher.parameterNames.map((name, index) => [name, decodeOrKeep(match[index + 1])]),
      ),
    };
  }
  return { routeKey: DEFAULT_ROUTE };
}
