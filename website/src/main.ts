import { isBlankMessage, MESSAGE_MAX_LENGTH, UUID_PATTERN } from '../../contract/api';
import { visibleText } from '@monitored/cloudwatch-model';
import { ApiError, MessagesClient, newIdempotencyKey } from './api';

// Every message is untrusted text: it only ever reaches the page through textContent, inside an
// element that isolates its direction (bdi, or a dir="auto" block with unicode-bidi: isolate).

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

const client = new MessagesClient();
const status = element<HTMLParagraphElement>('status');
const count = element<HTMLOutputElement>('count');
const refreshButton = element<HTMLButtonElement>('refresh-count');
const postForm = element<HTMLFormElement>('post-form');
const messageInput = element<HTMLTextAreaElement>('message');
const messageError = element<HTMLParagraphElement>('message-error');
const postButton = element<HTMLButtonElement>('post-button');
const created = element<HTMLDivElement>('created');
const createdMessage = element<HTMLElement>('created-message');
const createdId = element<HTMLElement>('created-id');
const shareLink = element<HTMLAnchorElement>('share-link');
const copyButton = element<HTMLButtonElement>('copy-id');
const lookupForm = element<HTMLFormElement>('lookup-form');
const lookupInput = element<HTMLInputElement>('lookup-id');
const lookupError = element<HTMLParagraphElement>('lookup-error');
const lookupButton = element<HTMLButtonElement>('lookup-button');
const lookupStatus = element<HTMLParagraphElement>('lookup-status');
const lookupFigure = element<HTMLElement>('lookup-figure');
const lookupResult = element<HTMLElement>('lookup-result');
const lookupCaption = element<HTMLElement>('lookup-caption');

function announce(
  text: string,
  kind: 'info' | 'error' = 'info',
  where: HTMLElement = status,
): void {
  where.dataset.kind = kind;
  // An API error may quote what a request held: shown by the one rule (packages/cloudwatch-model/src/visible-text.ts).
  where.textContent = visibleText(text);
}

/** The page's address that opens it with message `id` looked up. */
function linkTo(id: string): string {
  return new URL(`?id=${encodeURIComponent(id)}`, location.href).href;
}

/** Shows an id with a line-break opportunity after each dash only, so it wraps between groups. */
function showId(target: HTMLElement, id: string): void {
  target.replaceChildren(
    ...id
      .split('-')
      .flatMap((group, i, groups) =>
        i < groups.length - 1 ? [`${group}-`, document.createElement('wbr')] : [group],
      ),
  );
}

function describe(error: unknown): string {
  if (error instanceof ApiError)
    return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}

function fieldError(
  input: HTMLTextAreaElement | HTMLInputElement,
  output: HTMLElement,
  text: string | undefined,
): void {
  output.hidden = text === undefined;
  output.textContent = visibleText(text ?? '');
  if (text === undefined) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
}

/** Runs `action` with `button` disabled and labelled busy; the page stays usable whatever happens. */
async function busy(
  button: HTMLButtonElement,
  label: string,
  action: () => Promise<void>,
): Promise<void> {
  const idle = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await action();
  } finally {
    button.disabled = false;
    button.textContent = idle;
  }
}

async function refreshCount(): Promise<void> {
  count.setAttribute('aria-busy', 'true');
  try {
    const total = await client.count();
    count.textContent = total.toLocaleString('en-US');
    if (status.dataset.kind === 'error') announce('');
  } catch (error: unknown) {
    count.textContent = '?';
    announce(`Could not load the count. ${describe(error)}`, 'error');
  } finally {
    count.removeAttribute('aria-busy');
  }
}

refreshButton.addEventListener(
  'click',
  () => void busy(refreshButton, 'Refreshing…', refreshCount),
);

/** Why `text` cannot be posted, or undefined when it can. */
function messageProblem(text: string): string | undefined {
  if (isBlankMessage(text)) return 'Write a message first: it cannot be empty.';
  const length = [...text].length;
  if (length > MESSAGE_MAX_LENGTH)
    return `That is ${length} characters; the limit is ${MESSAGE_MAX_LENGTH}.`;
  return undefined;
}

// The post being attempted: one Idempotency-Key per message, kept until it is confirmed, so that
// pressing Post again after a failure retries that post instead of posting it twice.
let pending: { readonly text: string; readonly key: string } | undefined;

postForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = messageInput.value.trim();
  const problem = messageProblem(text);
  if (problem !== undefined) {
    announce('');
    fieldError(messageInput, messageError, problem);
    messageInput.focus();
    return;
  }
  fieldError(messageInput, messageError, undefined);
  if (pending?.text !== text) pending = { text, key: newIdempotencyKey() };
  const attempt = pending;
  void busy(postButton, 'Posting…', async () => {
    try {
      const message = await client.create(attempt.text, attempt.key);
      if (pending === attempt) pending = undefined;
      createdMessage.textContent = message.message;
      showId(createdId, message.id);
      shareLink.href = linkTo(message.id);
      created.hidden = false;
      messageInput.value = '';
      announce(`Message posted. Its id is ${message.id}.`);
      await refreshCount();
    } catch (error: unknown) {
      const retry =
        error instanceof ApiError && error.retryable
          ? 'Your message may not have been posted. Press Post again: it will not be posted twice.'
          : 'Your message was not posted.';
      announce(`${retry} ${describe(error)}`, 'error');
    }
  });
});

// An error clears as soon as the field no longer has it.
messageInput.addEventListener('input', () => {
  if (!messageError.hidden)
    fieldError(messageInput, messageError, messageProblem(messageInput.value.trim()));
});

copyButton.addEventListener('click', () => {
  const id = createdId.textContent ?? '';
  navigator.clipboard
    .writeText(id)
    .then(() => announce('Id copied to the clipboard.'))
    .catch(() => {
      // No clipboard access (an insecure origin, a denied permission): select the id for copying by hand.
      const range = document.createRange();
      range.selectNodeContents(createdId);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      announce('Could not copy automatically: the id is selected, copy it with Ctrl+C.', 'error');
    });
});

const ID_PROBLEM =
  'That is not a message id. An id has 36 characters: digits, letters a–f and four dashes.';

function lookUp(): void {
  const id = lookupInput.value.trim();
  announce('', 'info', lookupStatus);
  if (!UUID_PATTERN.test(id)) {
    lookupFigure.hidden = true;
    fieldError(lookupInput, lookupError, ID_PROBLEM);
    lookupInput.focus();
    return;
  }
  fieldError(lookupInput, lookupError, undefined);
  void busy(lookupButton, 'Reading…', async () => {
    try {
      const message = await client.get(id);
      lookupResult.textContent = message.message;
      lookupCaption.textContent = `Posted ${new Date(message.createdAt).toLocaleString('en-US')}`;
      lookupFigure.hidden = false;
      announce('Message found.', 'info', lookupStatus);
      history.replaceState(null, '', linkTo(id));
    } catch (error: unknown) {
      lookupFigure.hidden = true;
      announce(describe(error), 'error', lookupStatus);
    }
  });
}

lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  lookUp();
});

lookupInput.addEventListener('input', () => {
  if (!lookupError.hidden && UUID_PATTERN.test(lookupInput.value.trim()))
    fieldError(lookupInput, lookupError, undefined);
  if (lookupStatus.dataset.kind === 'error') announce('', 'info', lookupStatus);
});

// A shared link (?id=…) opens the page with that message looked up, checked as a typed id is.
const linkedId = new URLSearchParams(location.search).get('id');
if (linkedId !== null) {
  lookupInput.value = linkedId;
  lookUp();
}

void refreshCount();
