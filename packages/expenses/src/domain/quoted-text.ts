/**
 * A file's text as an import error quotes it: at most `max` characters, then "...", so a row
 * error never echoes a whole cell or line of an uploaded file back (one helper for every reader).
 */
export const clip = (text: string, max = 40): string => (text.length <= max ? text : `${cutAt(text, max)}...`);

/**
 * The first `max` UTF-16 units of `text`, one fewer when the last would be the first half of a
 * surrogate pair (an emoji): a lone surrogate is no Unicode text (JSON writes it as an escape
 * strict parsers refuse, and a message quoting it with JSON.stringify showed `\ud83d`; UTF-8
 * cannot encode it).
 */
export const cutAt = (text: string, max: number): string => text.slice(0, isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max);

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
