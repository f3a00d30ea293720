/**
 * A file's text as an import error quotes it: at most `max` characters, then "...", so a row
 * error never echoes a whole cell or line of an uploaded file back (one helper for every reader).
 */
export const clip = (text: string, max = 40): string => (text.length > max ? `${text.slice(0, max)}...` : text);
