/**
 * Where `npm start` listens unless WEBSITE_PORT, API_PORT, DYNAMODB_PORT or MONITOR_PORT say
 * otherwise. Shared with the stacks because the dev stage's CORS admits the local website's origin.
 */
export const LOCAL_PORTS = { website: 8080, api: 3000, dynamodb: 8000, monitor: 8090 } as const;
