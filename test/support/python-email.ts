import { execFileSync } from 'node:child_process';

export interface ParsedEmail {
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  /** The Date header as Python's email.utils reads it, ISO 8601. */
  readonly date: string;
  readonly contentType: string;
  readonly body: string;
  /** Defects Python's parser found (malformed headers, bad encoding). */
  readonly defects: readonly string[];
  /** The longest raw line, in characters (RFC 5322 allows at most 998). */
  readonly longestLine: number;
}

const READ_EMAIL = `
import json, sys
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
raw = sys.stdin.buffer.read()
message = BytesParser(policy=policy.default).parsebytes(raw)
body = message.get_body(preferencelist=("plain",))
print(json.dumps({
    "subject": str(message["subject"]),
    "from": str(message["from"]),
    "to": str(message["to"]),
    "date": parsedate_to_datetime(message["date"]).isoformat(),
    "contentType": message.get_content_type(),
    "body": body.get_content(),
    "defects": [type(d).__name__ for d in list(message.defects) + list(body.defects)],
    "longestLine": max(len(line) for line in raw.split(b"\\r\\n")),
}))
`;

/**
 * Reads an RFC 5322 message with Python's email package: a parser independent of the project's
 * writer, as a mail client would read the outbox.
 */
export function parseEmailWithPython(message: string | Buffer): ParsedEmail {
  const output = execFileSync('python3', ['-c', READ_EMAIL], { input: message, encoding: 'utf8' });
  return JSON.parse(output) as ParsedEmail;
}
