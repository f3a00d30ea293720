import { characterCount, isWellFormedText, normalizeName, searchKey } from '@budgeting/platform';
import { TAGS_MAX, TAG_MAX } from '../tags';
import { clip } from '../quoted-text';

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A tags column's cell (a mapping's `tagsColumn`: Monarch's "Tags", Mint's "Labels", Firefly
 * III's `tags`) as the row's tags, by the rules every expense's tags follow (tags.ts): split at
 * `separator`, each piece trimmed, empty pieces dropped (`a,,b`, a trailing `,`), then stored as
 * tags are (storedTags: name-normalized, the same tag ignoring case and accents kept once, its
 * first spelling). A piece that is no tag (longer than TAG_MAX, ill-formed text, only invisible
 * characters), or more than TAGS_MAX tags, is the row's error naming the column (never the
 * whole file's: one bad cell should not stop the other rows). An empty cell: no tags.
 *
 * Bounded whatever the cell: the pieces are found one at a time (never an array of all of
 * them), a piece met before as written is not read again, and the 11th tag ends the reading
 * (the row is then that error, whatever follows). Until feat/files every piece was normalized
 * twice: a 5 MB cell of `a,` took 21 s of the request that reads the file.
 */
export function readTagsCell(cell: string, separator: string, column: string): Result<string[] | undefined> {
  const where = `tags (column "${clip(column.trim())}")`;
  const written = new Set<string>();
  const keys = new Set<string>();
  const tags: string[] = [];
  for (let start = 0; start <= cell.length; ) {
    const end = cell.indexOf(separator, start);
    const piece = cell.slice(start, end < 0 ? cell.length : end).trim();
    start = end < 0 ? cell.length + 1 : end + separator.length;
    if (piece === '' || written.has(piece)) continue;
    written.add(piece);
    if (!isWellFormedText(piece)) return { ok: false, message: `${where} must be well-formed text without NUL or other control characters` };
    const tag = normalizeName(piece);
    const key = searchKey(tag);
    if (key === '') return { ok: false, message: `${where}: "${clip(piece)}" has no visible character, so it is no tag` };
    if (characterCount(tag) > TAG_MAX) return { ok: false, message: `${where}: "${clip(tag)}" is longer than ${TAG_MAX} characters, the most a tag holds` };
    if (keys.has(key)) continue;
    keys.add(key);
    tags.push(tag);
    if (tags.length > TAGS_MAX) return { ok: false, message: `${where} holds more than ${TAGS_MAX} tags; an expense has at most ${TAGS_MAX}` };
  }
  return { ok: true, value: tags.length === 0 ? undefined : tags };
}
