import type { BodyWidget } from '@monitored/cloudwatch-model';
import type { LocalLinkTargets } from '../../../src/local-links';
import { renderMarkdown } from '../markdown';
import { widgetFrame, type WidgetFrame } from './frame';

/** A `text` widget: its markdown, sanitized, with links that have a local equivalent made local. */
export function textWidget(
  widget: BodyWidget,
  index: number,
  links: LocalLinkTargets,
): WidgetFrame {
  const frame = widgetFrame(widget, index, undefined);
  const markdown = widget.properties.markdown;
  frame.content.replaceChildren(
    renderMarkdown(typeof markdown === 'string' ? markdown : '', links),
  );
  frame.content.classList.add('markdown');
  // "The value transparent makes the widget transparent. The value solid is the default."
  if (widget.properties.background === 'transparent') frame.element.classList.add('transparent');
  frame.element.dataset.state = 'ready';
  return frame;
}
