/**
 * `attachment; filename*=UTF-8''...` (RFC 6266 / RFC 8187): the download's name, any characters,
 * percent-encoded; encodeURIComponent leaves ' ( ) * as they are, which RFC 8187 does not allow.
 */
export function attachmentDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}
