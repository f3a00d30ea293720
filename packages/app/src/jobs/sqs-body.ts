/**
 * A message as the JSON text SQS takes for its body. SQS accepts only #x9, #xA, #xD, #x20 to
 * #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF in a body (SendMessage "MessageBody"); an
 * entry with any other character is refused (InvalidMessageContents), on every attempt (the API
 * reference until 2025 said SQS replaced such characters with U+FFFD instead: the text changed
 * on its way either way).
 * JSON.stringify already escapes the C0 controls and lone surrogates, but writes the two
 * noncharacters U+FFFE and U+FFFF as they are, and the API's text may hold them (a personal
 * access token's name, which its security notice's unit carries): written as JSON escapes
 * here, they read back the same (JSON.parse) and the body is within what SQS takes. Until
 * 2026-12-07 such a unit was refused every time: never queued, reported to the stream again and
 * again (the shard held behind it), the notice never sent.
 */
export function sqsMessageBody(message: unknown): string {
  return JSON.stringify(message).replace(/[\ufffe\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}
