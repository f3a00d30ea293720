/**
 * Receipts attached to expenses: what may be attached, how much, and where the object lives.
 * Objects are keyed under the budget and the expense, so an expense's or a budget's objects are
 * one prefix each (the cascades delete by prefix, also catching an object whose item is gone).
 */
export const ATTACHMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/webp', 'application/pdf'] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];

/**
 * The extensions a file of each type may carry, the first being the one given to a name that
 * has none of them. Written out rather than taken from a MIME library (mime-types): five fixed
 * types, and the Record makes a sixth one fail to compile until it has its extensions, without
 * bundling a database of a thousand types into the function.
 */
export const ATTACHMENT_EXTENSIONS: Record<AttachmentContentType, readonly [string, ...string[]]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
  'image/heic': ['heic', 'heif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
};

/**
 * The name a file is downloaded as (the signed GET's Content-Disposition), which is what a
 * browser or an OS opens it as: `invoice.html` declared `image/png` must not land on a disk as
 * an HTML page. So its extension follows the declared type (the only type the storage let the
 * upload have): a name ending in one of the type's extensions (any case) is kept; any other name
 * keeps what the client wrote and gets the type's extension appended (`invoice.html.png`,
 * `scan.pdf`), so the user still recognises it. Trailing dots and spaces go first, as Windows
 * drops them when saving (`receipt.pdf.` would otherwise be checked as having no extension).
 * The stored and shown `fileName` stays the client's.
 */
export function downloadFileName(fileName: string, contentType: AttachmentContentType): string {
  const name = fileName.replace(/[. ]+$/u, '') || 'attachment'; // a name of dots alone would become a hidden dotfile
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const allowed = ATTACHMENT_EXTENSIONS[contentType];
  if (allowed.includes(extension)) return name;
  return `${name}.${allowed[0]}`;
}

/** 10 MB: a phone photo of a receipt is 1-5 MB, a scanned PDF less. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Per expense (409 past it): a receipt, an invoice, a few pages; keeps "all of them" one small Query. */
export const MAX_ATTACHMENTS_PER_EXPENSE = 10;
/** The upload ticket's validity. */
export const UPLOAD_TTL_SECONDS = 15 * 60;
/** A download URL's validity: long enough to open it, short enough that a shared link dies soon. */
export const DOWNLOAD_TTL_SECONDS = 5 * 60;
/**
 * A pending attachment whose ticket expired this long ago without an object is abandoned: it is
 * removed (and its place in the cap given back) when next seen. The grace covers an upload that
 * S3 accepted at the last second and is still arriving.
 */
export const ABANDONED_AFTER_MS = 5 * 60 * 1000;

/**
 * Whether an upload through the attachment's ticket may still put its file at `now`: until its
 * expiry and the grace after it. A presigned POST cannot be revoked: deleting the attachment
 * before then leaves a ticket that can still land a file no item names.
 */
export function uploadMayStillLand(a: { uploadExpiresAt: string }, now: Date): boolean {
  return now.getTime() <= Date.parse(a.uploadExpiresAt) + ABANDONED_AFTER_MS;
}

/**
 * How long after a deletion cascade starts its second pass (the re-sweep of the expense's or
 * budget's object prefix, jobs/attachments-resweep.ts) runs: by then no ticket issued before
 * the deletion can still put a file. A ticket is signed by a declare whose checks passed before
 * the deletion committed, at most one API invocation later (the function's timeout is 30 s:
 * a minute is allowed), lives UPLOAD_TTL_SECONDS, and an upload S3 accepted at its last second
 * may still be arriving for ABANDONED_AFTER_MS. The cascade starts after the deletion committed,
 * so this, counted from the cascade, is strictly after the last possible upload: 21 minutes,
 * more than SQS can delay one message (15), so the unit takes two hops (WorkQueue notBefore).
 */
export const RESWEEP_AFTER_MS = UPLOAD_TTL_SECONDS * 1000 + ABANDONED_AFTER_MS + 60 * 1000;

export const budgetObjectPrefix = (budgetId: string) => `budgets/${budgetId}/`;
export const expenseObjectPrefix = (budgetId: string, expenseId: string) => `${budgetObjectPrefix(budgetId)}expenses/${expenseId}/`;
export const attachmentObjectKey = (a: { budgetId: string; expenseId: string; id: string }) => `${expenseObjectPrefix(a.budgetId, a.expenseId)}${a.id}`;
