import { describe, expect, it } from 'vitest';
import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_EXTENSIONS, downloadFileName } from './attachments';

describe('downloadFileName', () => {
  it('keeps a name that ends in one of its type\'s extensions, in any case', () => {
    expect(downloadFileName('receipt.jpg', 'image/jpeg')).toBe('receipt.jpg');
    expect(downloadFileName('IMG_0001.JPEG', 'image/jpeg')).toBe('IMG_0001.JPEG');
    expect(downloadFileName('IMG_0002.HEIC', 'image/heic')).toBe('IMG_0002.HEIC');
    expect(downloadFileName('statement 2026.11.pdf', 'application/pdf')).toBe('statement 2026.11.pdf');
  });

  it('appends the type\'s extension to a name whose extension contradicts it, or that has none', () => {
    expect(downloadFileName('invoice.html', 'image/png')).toBe('invoice.html.png');
    expect(downloadFileName('photo.png', 'image/jpeg')).toBe('photo.png.jpg');
    expect(downloadFileName('run.exe', 'application/pdf')).toBe('run.exe.pdf');
    expect(downloadFileName('scan', 'application/pdf')).toBe('scan.pdf');
    expect(downloadFileName('.png', 'image/png')).toBe('.png.png'); // a dotfile's name has no extension
  });

  it('drops trailing dots and spaces first (Windows drops them when saving)', () => {
    expect(downloadFileName('receipt.pdf.', 'application/pdf')).toBe('receipt.pdf');
    expect(downloadFileName('invoice.html. . ', 'image/webp')).toBe('invoice.html.webp');
    expect(downloadFileName('...', 'image/png')).toBe('attachment.png');
  });

  it('knows extensions for every accepted type', () => {
    for (const type of ATTACHMENT_CONTENT_TYPES) expect(ATTACHMENT_EXTENSIONS[type].length).toBeGreaterThan(0);
  });
});
