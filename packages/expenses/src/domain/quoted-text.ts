/**
 * A file's text as an import error quotes it: at most `max` characters, then "...", so a row
 * error never echoes a whole cell or line of an uploaded file back (one helper for every reader).
 */
export const clip = (text: string, max = 40): string => {
  if (text.length <= max) return text;
  // Never between the two halves of a surrogate pair (an emoji): a lone surrogate is no Unicode
  // text (JSON writes it as an escape strict parsers refuse; UTF-8 cannot encode it).
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}...`;
};

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
