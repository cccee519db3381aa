import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { CORRELATION_ID_HEADER, messagePath, ROUTES } from '../contract/api';
import { LOG_FIELDS, LOG_MESSAGES } from '../contract/logs';
import { ClientError } from './errors';
import { errorResponse, json, type HttpResponse } from './http';
import { logger } from './logger';
import type { MessageStore } from './message-store';
import { header, parseCreateMessage, parseIdempotencyKey, parseMessageId } from './request';

// What a caller may put in x-correlation-id: enough for a UUID or a canary's step id, nothing that
// could break a log query.
const CALLER_CORRELATION_ID = /^[\w.:@/-]{1,128}$/;

async function route(event: APIGatewayProxyEventV2, store: MessageStore): Promise<HttpResponse> {
  switch (event.routeKey) {
    case ROUTES.countMessages:
      return json(200, { count: await store.count() });
    case ROUTES.createMessage: {
      const idempotencyKey = parseIdempotencyKey(event);
      // A replay answers 201 again, as the draft asks ("the result of the previously completed
      // operation"): a client that lost the first answer reads the second exactly as the first.
      const created = await store.create(parseCreateMessage(event), idempotencyKey);
      return json(201, created, { location: messagePath(created.id) });
    }
    case ROUTES.getMessage: {
      const id = parseMessageId(event);
      const message = await store.get(id);
      if (message === undefined)
        throw new ClientError('MESSAGE_NOT_FOUND', `No message has the id ${id}`);
      return json(200, message);
    }
    default:
      throw new ClientError(
        'ROUTE_NOT_FOUND',
        `No route ${event.requestContext?.http?.method ?? ''} ${event.rawPath ?? ''}`.trim(),
      );
  }
}

/** Builds the HTTP API (payload 2.0) handler around a store; index.ts wires the real one. */
export function createHandler(store: MessageStore) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResponse> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const sent = header(event, CORRELATION_ID_HEADER);
    const callerCorrelationId =
      sent !== undefined && CALLER_CORRELATION_ID.test(sent) ? sent : undefined;
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    logger.setCorrelationId(requestId);
    if (callerCorrelationId !== undefined) {
      logger.appendKeys({ [LOG_FIELDS.callerCorrelationId]: callerCorrelationId });
    }

    let response: HttpResponse;
    let errorCode: string | undefined;
    try {
      logger.debug('request received', {
        routeKey: event.routeKey,
        path: event.rawPath,
        bodyBytes: event.body?.length ?? 0,
        isBase64Encoded: event.isBase64Encoded,
      });
      response = await route(event, store);
    } catch (error: unknown) {
      const outcome = errorResponse(error, requestId);
      response = outcome.response;
      errorCode = outcome.code;
      if (response.statusCode >= 500) {
        logger.error(LOG_MESSAGES.failed, {
          [LOG_FIELDS.errorCode]: errorCode,
          [LOG_FIELDS.error]: error as Error,
        });
      } else {
        logger.warn(LOG_MESSAGES.rejected, {
          [LOG_FIELDS.errorCode]: errorCode,
          reason: outcome.reason,
        });
      }
    }
    response.headers[CORRELATION_ID_HEADER] = callerCorrelationId ?? requestId;
    logger.info(LOG_MESSAGES.request, {
      [LOG_FIELDS.method]: event.requestContext?.http?.method,
      [LOG_FIELDS.path]: event.rawPath,
      [LOG_FIELDS.route]: event.routeKey,
      [LOG_FIELDS.status]: response.statusCode,
      [LOG_FIELDS.latencyMs]: Math.round(performance.now() - started),
      ...(errorCode !== undefined && { [LOG_FIELDS.errorCode]: errorCode }),
    });
    logger.resetKeys();
    return response;
  };
}
