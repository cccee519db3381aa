import { MESSAGE_MAX_LENGTH, UUID_PATTERN } from '../../contract/api';
import { ApiError, MessagesClient } from './api';

// Every message is untrusted text: it only ever reaches the page through textContent.

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
const createdId = element<HTMLElement>('created-id');
const copyButton = element<HTMLButtonElement>('copy-id');
const lookupForm = element<HTMLFormElement>('lookup-form');
const lookupInput = element<HTMLInputElement>('lookup-id');
const lookupError = element<HTMLParagraphElement>('lookup-error');
const lookupButton = element<HTMLButtonElement>('lookup-button');
const lookupFigure = element<HTMLElement>('lookup-figure');
const lookupResult = element<HTMLElement>('lookup-result');
const lookupCaption = element<HTMLElement>('lookup-caption');

function announce(text: string, kind: 'info' | 'error' = 'info'): void {
  status.dataset.kind = kind;
  status.textContent = text;
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
  output.textContent = text ?? '';
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

postForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = messageInput.value.trim();
  const length = [...text].length;
  if (length === 0) {
    announce('');
    fieldError(messageInput, messageError, 'Write a message first: it cannot be empty.');
    messageInput.focus();
    return;
  }
  if (length > MESSAGE_MAX_LENGTH) {
    fieldError(
      messageInput,
      messageError,
      `That is ${length} characters; the limit is ${MESSAGE_MAX_LENGTH}.`,
    );
    messageInput.focus();
    return;
  }
  fieldError(messageInput, messageError, undefined);
  void busy(postButton, 'Posting…', async () => {
    try {
      const message = await client.create(text);
      createdId.textContent = message.id;
      created.hidden = false;
      messageInput.value = '';
      announce(`Message posted. Its id is ${message.id}.`);
      await refreshCount();
    } catch (error: unknown) {
      announce(`Your message was not posted. ${describe(error)}`, 'error');
    }
  });
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

lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = lookupInput.value.trim();
  if (!UUID_PATTERN.test(id)) {
    lookupFigure.hidden = true;
    announce('');
    fieldError(
      lookupInput,
      lookupError,
      'That is not a message id. An id has 36 characters: digits, letters a–f and four dashes.',
    );
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
      announce('Message found.');
    } catch (error: unknown) {
      lookupFigure.hidden = true;
      announce(describe(error), 'error');
    }
  });
});

void refreshCount();
