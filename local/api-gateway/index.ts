/**
 * A local stand-in for the stack's HTTP API, one module per job: routes, the payload 2.0 event,
 * CORS, API Gateway's responses, and the HTTP server that puts them together.
 */
export { buildEvent, newRequestId, type HttpRequest, type RequestStamp } from './event';
export type { RouteMatch } from './routes';
export { startApiGateway, type ApiGatewayOptions } from './server';
