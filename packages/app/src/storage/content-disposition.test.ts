import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition';

describe('attachmentDisposition', () => {
  it('gives a plain ASCII name as both filename and filename*', () => {
    expect(attachmentDisposition('receipt.pdf')).toBe(`attachment; filename="receipt.pdf"; filename*=UTF-8''receipt.pdf`);
  });

  it("gives the whole name in filename* and an ASCII stand-in in filename for tools that read only it (curl -OJ)", () => {
    expect(attachmentDisposition('Café Zoë.jpg')).toBe(`attachment; filename="Cafe Zoe.jpg"; filename*=UTF-8''Caf%C3%A9%20Zo%C3%AB.jpg`);
    expect(attachmentDisposition('领收据.png')).toBe(`attachment; filename="___.png"; filename*=UTF-8''%E9%A2%86%E6%94%B6%E6%8D%AE.png`);
  });

  it('keeps quotes, backslashes and percent signs out of the quoted stand-in', () => {
    expect(attachmentDisposition('a"b\\c%41.pdf')).toBe(`attachment; filename="a_b_c_41.pdf"; filename*=UTF-8''a%22b%5Cc%2541.pdf`);
  });

  it('writes no path separator into the stand-in, also none that a compatibility character decomposes to (／, ℅ "c/o", ℀ "a/c")', () => {
    // The API refuses / and \ in a file name, but NFKD turns the fullwidth solidus and the
    // "care of" and "account of" signs into ones: `filename="../../evil.pdf"` for a name of
    // fullwidth slashes, and `curl -OJ` saved "Rechnung ℅ Müller.pdf" as "o Muller.pdf" (it
    // keeps what follows the last /), a tool that does not strip paths outside its folder.
    const standIn = (header: string) => /; filename="([^"]*)";/.exec(header)![1]!;
    expect(attachmentDisposition('Rechnung ℅ Müller.pdf')).toBe(`attachment; filename="Rechnung c_o Muller.pdf"; filename*=UTF-8''Rechnung%20%E2%84%85%20M%C3%BCller.pdf`);
    for (const name of ['..／..／evil.pdf', '℀ 2026.pdf', '℁ ℆.pdf', 'a＼b.pdf']) expect(standIn(attachmentDisposition(name))).not.toMatch(/[/\\]/);
  });

  it("percent-encodes ' ( ) * in filename*, which RFC 8187 does not allow bare", () => {
    expect(attachmentDisposition("it's (1)*.pdf")).toBe(`attachment; filename="it's (1)*.pdf"; filename*=UTF-8''it%27s%20%281%29%2A.pdf`);
  });
});
