/**
 * How API Gateway reads a payload format 2.0 response:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { responseFromResult } from '../../../local/api-gateway/response';

describe("the function's result as the client receives it", () => {
  it('passes status, headers (names lower-cased) and body through', () => {
    expect(
      responseFromResult({
        statusCode: 201,
        headers: { 'Content-Type': 'application/json', Location: '/messages/1' },
        body: '{"id":"1"}',
      }),
    ).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', location: '/messages/1' },
      body: '{"id":"1"}',
    });
  });

  it('decodes a base64 body', () => {
    const response = responseFromResult({
      statusCode: 200,
      body: Buffer.from([0, 255]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(Buffer.isBuffer(response.body) && response.body.equals(Buffer.from([0, 255]))).toBe(
      true,
    );
  });

  it('answers 200 with the result as JSON when the result has no statusCode', () => {
    expect(responseFromResult({ count: 3 })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"count":3}',
    });
    expect(responseFromResult('hello').body).toBe('"hello"');
    expect(responseFromResult(undefined).body).toBe('null');
  });

  it('sends an empty body when the result has none', () => {
    expect(responseFromResult({ statusCode: 204 })).toEqual({ status: 204, headers: {}, body: '' });
  });
});
