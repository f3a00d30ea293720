// Module loader hooks for probe-request.mjs --bytes: reports each loaded module's URL and size.
let port;
export function initialize(data) {
  port = data.port;
}
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  const source = result.source;
  const bytes = source == null ? 0 : typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength;
  port.postMessage({ url, bytes });
  return result;
}
