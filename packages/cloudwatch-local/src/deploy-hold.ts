/**
 * A deploy alarm's hold and release on this machine, made as `deploy-alarm` commands make them on
 * AWS (@monitored/cloudwatch-model's deploy hold), with the metric store in the place of
 * GetMetricStatistics and PutMetricData. A local loop can hold a new stage's deploy alarm with it
 * from the start, as a pipeline does before the deploy that creates the stage.
 */
import {
  deployInProgressMetric,
  type MetricSpec,
  holdDatapoints,
  holdLookback,
  releaseDatapoints,
  type HoldDatapoint,
  type MinuteSum,
} from '@monitored/cloudwatch-model';
import { datum, type MetricStore } from '@monitored/cloudwatch-local';

export class LocalDeployHold {
  private readonly metric: MetricSpec<never>;

  /** `stageNamePrefix`: the stage's, `msgs-<stage>`, its metric's namespace. */
  constructor(
    private readonly store: MetricStore,
    stageNamePrefix: string,
  ) {
    this.metric = deployInProgressMetric(stageNamePrefix);
  }

  /** `set` at `now`: returns the datapoints sent. */
  hold(now: number): HoldDatapoint[] {
    return this.send(holdDatapoints(this.minutes(now), now));
  }

  /**
   * `clear` at `now`: returns the datapoints sent, the release of each minute held and the end of
   * the deploy (a 0 at `now`'s minute, sent even when nothing was held).
   */
  release(now: number): HoldDatapoint[] {
    return this.send(releaseDatapoints(this.minutes(now), now));
  }

  /** GetMetricStatistics over the minutes a hold can still count in, 60-second periods, Sum. */
  private minutes(now: number): MinuteSum[] {
    const { start, end } = holdLookback(now);
    return this.store
      .datapoints(this.metric, {}, 'Sum', 60, start, end)
      .map(({ timestamp, value }) => ({ timestamp, sum: value }));
  }

  private send(datapoints: HoldDatapoint[]): HoldDatapoint[] {
    for (const { timestamp, value } of datapoints)
      this.store.put(datum(this.metric, {}, value, timestamp));
    return datapoints;
  }
}
