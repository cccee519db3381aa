/**
 * `/alarms/<name>`: what an alarm link opens locally. The alarm's state and why, its description
 * with local links, its definition, every state change, and a form that sets its state as
 * SetAlarmState does (the local `set-alarm-state`, e.g. for the deploy alarm).
 */
import type { AlarmDefinition, AlarmState } from '@monitored/cloudwatch-model';
import { MONITOR_PAGES } from '../../src/local-links';
import {
  MONITOR_API,
  type AlarmDetailResponse,
  type DashboardResponse,
  type SetAlarmStateRequest,
} from '../../src/monitor-api';
import { describeError, getJson, postJson } from './api';
import { h, setText, setTitle } from './dom';
import { utcTime } from './format';
import { linkify } from './markdown';
import { resultsTable } from './table';
import { ALARM_STATE_NAMES, stateBadge } from './widgets/alarm';

function definitionRows(definition: AlarmDefinition): [string, string][] {
  const text = (value: unknown) =>
    Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return Object.entries(definition)
    .filter(([key, value]) => key !== 'name' && key !== 'description' && value !== undefined)
    .map(([key, value]) => [key, text(value)]);
}

export async function showAlarm(app: HTMLElement, name: string): Promise<void> {
  const dashboard = await getJson<DashboardResponse>(MONITOR_API.dashboard);
  setTitle(`${name}: alarm`);
  const header = h(
    'header',
    { class: 'top' },
    h('p', {}, h('a', { href: MONITOR_PAGES.dashboard }, `← ${dashboard.name}`)),
    h('h1', {}, name),
  );
  const body = h('main', { id: 'alarm' });
  app.replaceChildren(header, body);

  const render = (detail: AlarmDetailResponse['alarm']): void => {
    const state = h(
      'select',
      { id: 'new-state', name: 'state' },
      ...ALARM_STATE_NAMES.map((s) => h('option', { value: s }, s)),
    );
    const reason = h('input', {
      id: 'state-reason',
      name: 'reason',
      type: 'text',
      required: '',
      maxlength: '1023',
    });
    reason.value = 'Set by hand on the local monitor';
    const formStatus = h('p', { id: 'state-status', role: 'status', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'state-form', novalidate: '' },
      h('h2', {}, 'Set the state (SetAlarmState)'),
      h('label', { for: 'new-state' }, 'State'),
      state,
      h('label', { for: 'state-reason' }, 'Reason'),
      reason,
      h('button', { type: 'submit', id: 'set-state' }, 'Set state'),
      formStatus,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const request: SetAlarmStateRequest = {
        state: state.value as AlarmState,
        reason: reason.value,
      };
      postJson<AlarmDetailResponse>(MONITOR_API.alarmState(name), request).then(
        (response) => render(response.alarm),
        (error: unknown) => setText(formStatus, describeError(error)),
      );
    });
    body.dataset.alarmState = detail.state;
    body.replaceChildren(
      h(
        'p',
        { class: 'alarm-state', 'data-alarm': detail.name, 'data-alarm-state': detail.state },
        stateBadge(detail.state),
        ` since ${utcTime(detail.updatedAt)}`,
      ),
      h('p', { class: 'reason' }, detail.reason),
      ...(detail.definition.description === undefined
        ? []
        : [
            h(
              'p',
              { class: 'description' },
              linkify(detail.definition.description, dashboard.links),
            ),
          ]),
      h('h2', {}, 'Definition'),
      resultsTable(
        ['field', 'value'],
        [
          { field: 'arn', value: detail.arn },
          { field: 'type', value: detail.type },
          ...definitionRows(detail.definition).map(([field, value]) => ({ field, value })),
        ],
        'Definition',
      ),
      form,
      h('h2', {}, 'History'),
      detail.history.length === 0
        ? h('p', {}, 'No state change yet.')
        : resultsTable(
            ['time', 'change', 'reason', 'actions'],
            detail.history.map((entry) => ({
              time: utcTime(entry.timestamp),
              change: `${entry.oldState} → ${entry.newState}`,
              reason: entry.reason,
              actions: entry.actionsSuppressed ?? '',
            })),
            'History',
          ),
    );
  };

  try {
    render((await getJson<AlarmDetailResponse>(MONITOR_API.alarm(name))).alarm);
  } catch (error: unknown) {
    body.replaceChildren(
      h('p', { class: 'widget-error', 'data-error': '', role: 'alert' }, describeError(error)),
    );
  }
}
