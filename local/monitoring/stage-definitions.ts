/**
 * The stage's monitoring as it deploys: the stack is built in-process from the same constructs
 * `cdktf synth` runs, and its synthesized alarms, dashboard and canaries are read back by
 * @monitored/cloudwatch-local's reader of any stack, their Terraform references resolved to the
 * local stand-ins. What is this app's: the stage, its names, its journeys (a canary per journey,
 * on the stage config's schedule) and the ids of its API and distribution. Nothing here restates
 * a threshold, a metric or a name.
 */
import * as fs from 'node:fs';
import { App } from 'cdktf';
import { CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { stageConfigs, type Stage } from '../../stacks/config';
import { MessageSystemStack } from '../../stacks/message-system-stack';
import { stageNames, type StageNames } from '../../stacks/shared/stage-names';
import { temporaryDir } from '../temp-space';
import {
  StackReader,
  readStackDefinitions,
  type StackCanary,
  type StackDashboard,
  type StackDefinitions,
  type SynthesizedAwsStack,
} from '@monitored/cloudwatch-local';
import { buildArtifacts } from '../../bundling/artifacts';

/** A canary of the stage: the journey it runs. */
export interface LocalCanary extends StackCanary {
  readonly journey: CanaryName;
}

/** The ids AWS gives the stage's API and distribution, as the local stand-ins resolve them. */
export interface StageResourceIds {
  /** The HTTP API's id: the `ApiId` dimension. */
  readonly apiId: string;
  /** The HTTP API's stage: the `Stage` dimension. */
  readonly apiStage: string;
  /** The CloudFront distribution's id: the `DistributionId` dimension. */
  readonly distributionId: string;
}

export interface StageDefinitions extends Omit<StackDefinitions, 'canaries'> {
  readonly stage: Stage;
  readonly names: StageNames;
  readonly ids: StageResourceIds;
  /** The stage's one dashboard. */
  readonly dashboard: StackDashboard;
  readonly canaries: Readonly<Record<CanaryName, LocalCanary>>;
}

export interface LoadOptions {
  /** The day the stack is judged on, as a synth would be. @default today */
  readonly today?: Date;
  /** Who gets the local alarm emails. @default the stage config's (ALERT_EMAILS), else you@localhost */
  readonly alertEmails?: readonly string[];
}

/** Builds the stage's stack and reads its monitoring back, resolved for the local system. */
export function loadStageDefinitions(stage: Stage, options: LoadOptions = {}): StageDefinitions {
  const emails = options.alertEmails ?? ['you@localhost'];
  const config = stageConfigs({ alertEmails: { dev: emails, prod: emails } })[stage];
  const outdir = temporaryDir('stage-definitions-');
  let json: SynthesizedAwsStack;
  try {
    const stack = new MessageSystemStack(new App({ outdir }), stage, {
      config,
      artifacts: buildArtifacts(),
      today: options.today ?? new Date(),
    });
    json = stack.toTerraform() as SynthesizedAwsStack;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const read = { stage, region: config.region };
  const definitions = readStackDefinitions(json, read);

  const [dashboard, ...others] = definitions.dashboards;
  if (dashboard === undefined) throw new Error(`the ${stage} stack has no dashboard`);
  if (others.length > 0)
    throw new Error(`the ${stage} stack has ${definitions.dashboards.length} dashboards, not one`);

  const names = stageNames(config.namePrefix);
  const canaries = Object.fromEntries(
    CANARY_NAMES.map((journey) => {
      const physical = names.canary(journey);
      const canary = definitions.canaries.find((candidate) => candidate.name === physical);
      if (canary === undefined) throw new Error(`the ${stage} stack has no canary ${physical}`);
      const groups = definitions.logGroups.filter((group) => group.name === canary.logGroupName);
      if (groups.length !== 1)
        throw new Error(`expected one log group for canary ${physical}, found ${groups.length}`);
      // The schedule as the stage config states it, with its type (the stack writes the same).
      return [journey, { ...canary, journey, schedule: config.canaries[journey] }];
    }),
  ) as Record<CanaryName, LocalCanary>;

  const stack = new StackReader(json, read);
  const only = (type: string, attribute: string): string => {
    const found = stack.resources(type);
    if (found.length !== 1)
      throw new Error(`expected one ${type} in the ${stage} stack, found ${found.length}`);
    return String(stack.attribute(type, found[0][0], attribute));
  };
  const ids: StageResourceIds = {
    apiId: only('aws_apigatewayv2_api', 'id'),
    apiStage: only('aws_apigatewayv2_stage', 'name'),
    distributionId: only('aws_cloudfront_distribution', 'id'),
  };

  return { ...definitions, stage, names, ids, dashboard, canaries };
}
