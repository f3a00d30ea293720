import { characterCount, isWellFormedText, normalizeName, searchKey } from '@budgeting/platform';
import { TAGS_MAX, TAG_MAX, storedTags } from '../tags';
import { clip } from '../quoted-text';

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A tags column's cell (a mapping's `tagsColumn`: Monarch's "Tags", Mint's "Labels", Firefly
 * III's `tags`) as the row's tags, by the rules every expense's tags follow (tags.ts): split at
 * `separator`, each piece trimmed, empty pieces dropped (`a,,b`, a trailing `,`), then stored as
 * tags are (storedTags: name-normalized, the same tag ignoring case and accents kept once, its
 * first spelling). A piece that is no tag (longer than TAG_MAX, ill-formed text, only invisible
 * characters), or more than TAGS_MAX tags after that, is the row's error naming the column
 * (never the whole file's: one bad cell should not stop the other rows). An empty cell: no tags.
 */
export function readTagsCell(cell: string, separator: string, column: string): Result<string[] | undefined> {
  const pieces = cell
    .split(separator)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
  const where = `tags (column "${clip(column.trim())}")`;
  for (const piece of pieces) {
    if (!isWellFormedText(piece)) return { ok: false, message: `${where} must be well-formed text without NUL or other control characters` };
    const tag = normalizeName(piece);
    if (searchKey(tag) === '') return { ok: false, message: `${where}: "${clip(piece)}" has no visible character, so it is no tag` };
    if (characterCount(tag) > TAG_MAX) return { ok: false, message: `${where}: "${clip(tag)}" is longer than ${TAG_MAX} characters, the most a tag holds` };
  }
  const tags = storedTags(pieces);
  if (tags && tags.length > TAGS_MAX) return { ok: false, message: `${where} holds ${tags.length} tags; an expense has at most ${TAGS_MAX}` };
  return { ok: true, value: tags };
}
