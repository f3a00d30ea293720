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
