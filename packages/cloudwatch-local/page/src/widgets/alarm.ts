/**
 * An `alarm` widget: each listed alarm's local state, since when, and its latest changes, ordered
 * as its `sortBy` asks ("stateUpdatedTimestamp": ALARM first, then INSUFFICIENT_DATA, then OK,
 * the most recent change first within each) and filtered by its `states`.
 */
import type { BodyWidget, AlarmState } from '@monitored/cloudwatch-model';
import { MONITOR_PAGES } from '../../../src/local-links';
import type { AlarmSummary, AlarmsResponse } from '../../../src/monitor-api';
import { h } from '../dom';
import { utcClock, utcTime } from '../format';
import { widgetFrame, type WidgetFrame } from './frame';

const STATE_ORDER: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };
const STATE_TEXT: Record<AlarmState, string> = {
  ALARM: 'In alarm',
  INSUFFICIENT_DATA: 'Insufficient data',
  OK: 'OK',
};

export const ALARM_STATE_NAMES = Object.keys(STATE_TEXT) as AlarmState[];

export function stateBadge(state: AlarmState): HTMLElement {
  return h(
    'span',
    { class: `state state-${state.toLowerCase()}`, 'data-state-badge': state },
    STATE_TEXT[state],
  );
}

function sortAlarms(alarms: readonly AlarmSummary[], sortBy: string): AlarmSummary[] {
  const sorted = [...alarms];
  if (sortBy === 'stateUpdatedTimestamp')
    sorted.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.updatedAt - a.updatedAt);
  else if (sortBy === 'timestamp') sorted.sort((a, b) => b.updatedAt - a.updatedAt);
  else sorted.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted;
}

/**
 * One alarm as CloudWatch's alarm status widget shows it: its state and name on one line, since
 * when and from which state on the next, and on hover its reason and latest changes.
 */
function alarmRow(alarm: AlarmSummary): HTMLElement {
  const latest = alarm.recentChanges.at(0);
  const detail = `since ${utcClock(alarm.updatedAt)}${latest?.newState === alarm.state ? ` · from ${latest.oldState}` : ''}`;
  const hover = [
    `${alarm.name}: ${alarm.state} since ${utcTime(alarm.updatedAt)}`,
    alarm.reason,
    ...alarm.recentChanges
      .slice(0, 3)
      .map((change) => `${utcTime(change.timestamp)}: ${change.oldState} → ${change.newState}`),
  ];
  return h(
    'li',
    { 'data-alarm': alarm.name, 'data-alarm-state': alarm.state, title: hover.join('\n') },
    stateBadge(alarm.state),
    h('a', { href: MONITOR_PAGES.alarm(alarm.name), class: 'alarm-name' }, alarm.name),
    h('span', { class: 'alarm-detail' }, detail),
  );
}

export class AlarmWidget {
  readonly frame: WidgetFrame;
  private readonly arns: readonly string[];
  private readonly sortBy: string;
  private readonly states: readonly string[];

  constructor(widget: BodyWidget, index: number) {
    const { properties } = widget;
    this.frame = widgetFrame(
      widget,
      index,
      typeof properties.title === 'string' ? properties.title : 'Alarms',
    );
    this.arns = Array.isArray(properties.alarms) ? properties.alarms.map(String) : [];
    this.sortBy = typeof properties.sortBy === 'string' ? properties.sortBy : 'default';
    this.states = Array.isArray(properties.states) ? properties.states.map(String) : [];
  }

  get element(): HTMLElement {
    return this.frame.element;
  }

  show(response: AlarmsResponse): void {
    const byArn = new Map(response.alarms.map((alarm) => [alarm.arn, alarm]));
    const known = this.arns.flatMap((arn) => {
      const alarm = byArn.get(arn);
      return alarm === undefined ? [] : [alarm];
    });
    const unknown = this.arns.filter((arn) => !byArn.has(arn));
    const shown = sortAlarms(known, this.sortBy).filter(
      (alarm) => this.states.length === 0 || this.states.includes(alarm.state),
    );
    const list = h(
      'ul',
      { class: 'alarm-list' },
      ...shown.map(alarmRow),
      ...unknown.map((arn) => {
        const text = `No local alarm has the ARN ${arn}`;
        return h(
          'li',
          { 'data-alarm': arn, 'data-alarm-state': 'UNKNOWN', class: 'alarm-unknown', title: text },
          h('span', {}, text),
        );
      }),
    );
    this.frame.element.dataset.state = 'ready';
    this.frame.content.replaceChildren(list);
  }
}
