import type { BodyWidget } from '@monitored/cloudwatch-model';
import { h, setVars } from '../dom';

export interface WidgetFrame {
  readonly element: HTMLElement;
  readonly content: HTMLElement;
}

/**
 * A widget's box on the 24-column grid, at the body's x, y, width and height (CSS custom
 * properties the stylesheet places it by), with its title as a heading.
 */
export function widgetFrame(
  widget: BodyWidget,
  index: number,
  title: string | undefined,
): WidgetFrame {
  const headingId = `widget-${index}-title`;
  const content = h('div', { class: 'widget-content' });
  const element = h(
    'section',
    {
      class: `widget widget-${widget.type}`,
      'data-widget': String(index),
      'data-widget-type': widget.type,
      'data-x': String(widget.x),
      'data-y': String(widget.y),
      'data-width': String(widget.width),
      'data-height': String(widget.height),
      'data-state': 'loading',
      'aria-labelledby': title !== undefined ? headingId : undefined,
    },
    title !== undefined && h('h2', { id: headingId, class: 'widget-title' }, title),
    content,
  );
  setVars(element, {
    '--col': String(widget.x + 1),
    '--row': String(widget.y + 1),
    '--w': String(widget.width),
    '--h': String(widget.height),
  });
  return { element, content };
}

/** Shows a problem in the widget instead of its content, with a mark tests find. */
export function showWidgetError(frame: WidgetFrame, message: string): void {
  frame.element.dataset.state = 'error';
  frame.content.replaceChildren(
    h('p', { class: 'widget-error', 'data-error': '', role: 'alert' }, message),
  );
}
