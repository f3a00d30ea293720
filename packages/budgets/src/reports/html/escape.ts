/**
 * HTML escaping for the report pages and emails. Budget, category and merchant names are user
 * input: every text that goes into a page passes through `text` (element content and quoted
 * attribute values alike), so a name like `<script>` shows as itself and runs nothing.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function text(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
