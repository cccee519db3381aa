import * as http from 'node:http';

/** DynamoDB's answer to one call, as it came: status, headers and the body's bytes. */
export interface DynamoDbAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The client's port of the connection it came on (the same one for a kept-alive connection). */
  readonly clientPort: number;
}

export interface DynamoDbCallOptions {
  /** The Host header. @default the endpoint's host */
  readonly host?: string;
  /** Sends the body in chunks of this size, without a Content-Length (Transfer-Encoding: chunked). */
  readonly chunkBytes?: number;
  readonly agent?: http.Agent;
}

/**
 * One call of DynamoDB's JSON protocol over plain HTTP, as a tool sends it (`X-Amz-Target`, its
 * content type, a SigV4 Authorization header whose signature DynamoDB Local never checks).
 * Rejects when the connection is cut without an answer.
 */
export function dynamoDbCall(
  endpoint: string,
  operation: string,
  body: string | Buffer,
  options: DynamoDbCallOptions = {},
): Promise<DynamoDbAnswer> {
  const url = new URL(endpoint);
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const request = http.request({
      hostname: url.hostname,
      port: Number(url.port),
      method: 'POST',
      path: '/',
      agent: options.agent ?? false,
      headers: {
        host: options.host ?? url.host,
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'content-type': 'application/x-amz-json-1.0',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-west-2/dynamodb/aws4_request, SignedHeaders=host;x-amz-target, Signature=0',
        ...(options.chunkBytes === undefined && { 'content-length': String(bytes.length) }),
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          clientPort: request.socket?.localPort ?? 0,
        }),
      );
    });
    if (options.chunkBytes === undefined) {
      request.end(bytes);
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += options.chunkBytes)
      request.write(bytes.subarray(offset, offset + options.chunkBytes));
    request.end();
  });
}
