/**
 * What the smoke gate opens in a rehearsal: the URLs a deployed stage outputs point at a real
 * system running here (local/system.ts: the website, the API, DynamoDB Local), or at a server
 * that answers every request 503, as a stage whose function fails would.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalSystem, type LocalSystem } from '../../../local/system';
import { STAGES } from '../../../stacks/config';
import type { World } from './fakes/world';

export interface StageSites {
  readonly system: LocalSystem;
  /** The URLs of a stage whose API answers every request 503. */
  readonly broken: { readonly websiteUrl: string; readonly apiUrl: string };
  /** Makes `stage`'s deploy output these URLs (the fake Terraform's scenario). */
  point(world: World, stage: string, urls: { websiteUrl: string; apiUrl: string }): void;
  stop(): Promise<void>;
}

/** Starts the sites; every stage of `world` deploys to the working one. */
export async function startStageSites(world: World): Promise<StageSites> {
  const system = await startLocalSystem({
    ports: { website: 0, api: 0, dynamodb: 0 },
    // Rehearsals run the journeys a few times over; dev's throttle is tested elsewhere.
    apiThrottling: { rateLimit: 1000, burstLimit: 1000 },
    onNotice: () => undefined,
  });
  const failing = http.createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end('{"message":"Service Unavailable"}');
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  const sites: StageSites = {
    system,
    broken: { websiteUrl: system.websiteUrl, apiUrl },
    point(world, stage, urls) {
      world.setScenario({
        outputs: {
          ...world.scenario.outputs,
          [stage]: { website_url: urls.websiteUrl, api_url: urls.apiUrl },
        },
      });
    },
    async stop() {
      await new Promise<void>((resolve) => failing.close(() => resolve()));
      await system.stop();
    },
  };
  for (const stage of STAGES) sites.point(world, stage, system);
  return sites;
}
