import type { MetricRef, MetricSpec } from '@monitored/cloudwatch-model';
import type { MetricDatum } from './metric-store';

/** Where a local part sends the data points it records. */
export type RecordMetric = (datum: MetricDatum) => void;

/**
 * One data point of a catalogue metric, with the catalogue's unit: the local recorders build
 * every datum through this, so none can name a metric or a unit the catalogue does not have.
 */
export function datum<D extends string>(
  spec: MetricSpec<D>,
  dimensions: Readonly<Record<D, string>>,
  value: number,
  timestamp: number,
): MetricDatum {
  return {
    namespace: spec.namespace,
    metricName: spec.name,
    dimensions,
    value,
    unit: spec.unit,
    timestamp,
  };
}

/** The same for a metric with its dimensions already bound. */
export function datumOf(ref: MetricRef, value: number, timestamp: number): MetricDatum {
  return datum(ref.spec, ref.dimensions, value, timestamp);
}
