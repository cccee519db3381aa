'use strict';

/**
 * The API journey: `GET /health` must answer 200. A run whose handler throws is a failed run
 * (SuccessPercent 0). Node 22's fetch, no Synthetics module, so the same file runs anywhere.
 */
exports.handler = async () => {
  const response = await fetch(new URL('/health', process.env.API_URL), {
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) throw new Error(`GET /health answered ${response.status}`);
};
