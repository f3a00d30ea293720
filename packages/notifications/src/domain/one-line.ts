/**
 * A member's free text (a merchant, a description, an income's source) as it goes into a
 * notification's title and body: on one line. Free text keeps its line breaks where it is
 * stored, but a push title is one line, and a merchant of "Rent\n\nYour account is locked,
 * call ..." pushed lines of a co-member's making under the app's name. Every run of white space
 * (line feeds, CR, U+2028/2029, NEL, tabs) becomes one space, as a comment's excerpt does.
 */
export const oneLine = (text: string): string => text.replace(/[\s\u0085]+/gu, ' ').trim();
