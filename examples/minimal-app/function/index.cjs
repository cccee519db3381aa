'use strict';

/** The minimal app's API: `GET /health` answers 200 with a JSON body, anything else 404. */
exports.handler = async (event) => {
  const found = event.rawPath === '/health';
  return {
    statusCode: found ? 200 : 404,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(found ? { ok: true } : { error: 'not found' }),
  };
};
