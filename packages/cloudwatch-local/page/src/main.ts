/** The monitor's pages: the dashboard at `/`, `/logs` and `/alarms/<name>`, chosen by the path. */
import { byId, h } from './dom';
import { describeError } from './api';
import { showAlarm } from './alarm-page';
import { showDashboard } from './dashboard';
import { showLogs } from './logs-page';

async function show(app: HTMLElement): Promise<void> {
  const path = location.pathname;
  const alarm = /^\/alarms\/([^/]+)$/.exec(path);
  if (path === '/') return showDashboard(app);
  if (path === '/logs') return showLogs(app);
  if (alarm !== null) return showAlarm(app, decodeURIComponent(alarm[1]));
  app.replaceChildren(h('p', { 'data-error': '' }, `Nothing is shown at ${path}.`));
}

const app = byId('app');
show(app)
  .catch((error: unknown) => {
    app.replaceChildren(
      h(
        'p',
        { class: 'widget-error', 'data-error': '', role: 'alert' },
        `The page could not load: ${describeError(error)}`,
      ),
    );
  })
  .finally(() => app.removeAttribute('aria-busy'));
