/**
 * `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266 / RFC 8187): the download's name.
 * `filename*` carries it whole, any characters, percent-encoded (encodeURIComponent leaves
 * ' ( ) * as they are, which RFC 8187 does not allow). `filename` is the ASCII stand-in RFC 6266
 * appendix D advises for tools that read only it (`curl -OJ`, older download managers): accents
 * dropped, every other character outside printable ASCII, and `"`, `\` and `%` (which some
 * readers unescape or percent-decode), as `_`, and so is `/`: the name holds none (the API
 * refuses / and \), but NFKD makes one of the fullwidth solidus and of the "care of" and
 * "account of" signs (`℅` is "c/o"), and a tool reading `filename` keeps only what follows it
 * (curl) or writes into another folder (until 2026-12-07). Browsers take `filename*` when both
 * are present.
 */
export function attachmentDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiStandIn(fileName)}"; filename*=UTF-8''${encoded}`;
}

function asciiStandIn(fileName: string): string {
  return fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%/]/gu, '_');
}

/**
 * The Cache-Control of a signed download (S3: the presigned GET's `response-cache-control`; the
 * local stand-in sends it too): a receipt or a data export is the user's finances, fetched with
 * no Authorization, and S3 sends
 * Last-Modified, so without it a browser's or an HTTP library's cache may keep the file on disk
 * (heuristic freshness, RFC 9111 4.2.2), where no sign-out reaches it: the API's own credentialed
 * answers say no-store for that reason (app http/no-store-by-default.ts). Until 2026-12-07 none.
 */
export const DOWNLOAD_CACHE_CONTROL = 'no-store';
