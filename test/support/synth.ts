import { Testing } from 'cdktf';
import { stageConfigs, type Stage, type StageConfig } from '../../stacks/config';
import { MessageSystemStack } from '../../stacks/message-system-stack';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export interface Synthesized {
  readonly stack: MessageSystemStack;
  readonly json: {
    resource: Resources;
    output: Record<string, { value: string }>;
    provider: { aws: Record<string, unknown>[] };
  };
  /** The only resource of `type`; fails the test if there are none or several. */
  only(type: string): Record<string, unknown>;
  all(type: string): Record<string, unknown>[];
  /** `${type.name}` of the only resource of `type`, for checking references. */
  ref(type: string, attribute: string): string;
}

export const TEST_CONFIGS = stageConfigs({
  alertEmails: { dev: ['dev@example.com'], prod: ['oncall@example.com'] },
});

const cache = new Map<string, Synthesized>();

export function synthStage(stage: Stage, overrides: Partial<StageConfig> = {}): Synthesized {
  const key = `${stage}:${JSON.stringify(overrides)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const app = Testing.app();
  const stack = new MessageSystemStack(app, stage, {
    config: { ...TEST_CONFIGS[stage], ...overrides },
  });
  const json = JSON.parse(Testing.synth(stack)) as Synthesized['json'];
  const names = (type: string) => Object.keys(json.resource[type] ?? {});
  const synthesized: Synthesized = {
    stack,
    json,
    all: (type) => Object.values(json.resource[type] ?? {}),
    only(type) {
      const found = names(type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return json.resource[type][found[0]];
    },
    ref(type, attribute) {
      const found = names(type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return `\${${type}.${found[0]}.${attribute}}`;
    },
  };
  cache.set(key, synthesized);
  return synthesized;
}
