import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link in the repository's Markdown reaches a file, and its `#anchor` a heading
 * of that file (GitHub's slugs, as github.com renders them) or an `<a id>`/`<a name>` in it. The
 * module READMEs were split into docs/*.md topic files (stop 57); 288 pointers were mended by
 * hand after it (stop 58), and nothing stopped the next move from breaking them again.
 */
const ROOT = join(import.meta.dirname, '../../..');
const markdownFiles = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

const trees = new Map<string, Root>();
function parse(file: string): Root {
  let tree = trees.get(file);
  if (!tree) trees.set(file, (tree = fromMarkdown(readFileSync(join(ROOT, file), 'utf8'), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })));
  return tree;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (anchors) return anchors;
  anchors = new Set();
  const slugger = new GithubSlugger();
  const tree = parse(file);
  visit(tree, 'heading', (heading) => void anchors!.add(slugger.slug(toString(heading))));
  visit(tree, 'html', (html) => {
    for (const m of html.value.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors!.add(m[1]!);
  });
  anchorCache.set(file, anchors);
  return anchors;
}

/** What is wrong with one link of `file`, or undefined when it resolves (absolute URLs are not checked). */
function brokenReason(file: string, url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return undefined;
  const hash = url.indexOf('#');
  const path = decodeURIComponent(hash < 0 ? url : url.slice(0, hash));
  const anchor = hash < 0 ? '' : decodeURIComponent(url.slice(hash + 1));
  const target = path === '' ? file : normalize(join(dirname(file), path));
  if (!existsSync(join(ROOT, target))) return 'no such file';
  if (anchor === '') return undefined;
  if (statSync(join(ROOT, target)).isDirectory() || !target.endsWith('.md')) return 'an anchor on a file that is not Markdown';
  return anchorsOf(target).has(anchor) ? undefined : `no heading "${anchor}" in ${target}`;
}

describe('Markdown links', () => {
  it('finds the Markdown files', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('packages/expenses/docs/sync.md');
  });

  it('every relative link reaches a file, and its anchor a heading there', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      visit(parse(file), ['link', 'definition'], (node) => {
        const { url, position } = node as { url: string; position?: { start: { line: number } } };
        const reason = brokenReason(file, url);
        if (reason) broken.push(`${file}:${position?.start.line}: ${url} (${reason})`);
      });
    }
    expect(broken, 'fix the link or the heading it names').toEqual([]);
  });

  it('tells a missing file and a missing anchor from a good link', () => {
    expect(brokenReason('packages/expenses/README.md', 'docs/sync.md#offline-push')).toBeUndefined();
    expect(brokenReason('packages/expenses/README.md', 'docs/nope.md')).toBe('no such file');
    expect(brokenReason('packages/expenses/README.md', 'docs/sync.md#no-such-section')).toMatch(/no heading/);
    expect(brokenReason('packages/expenses/README.md', 'https://example.com/x#y')).toBeUndefined();
  });
});
