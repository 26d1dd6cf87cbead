/**
 * Comments say where a rule comes from, and they must point at something a reader of the repository
 * can open: a page under docs/ (and its section, when one is named), never a specification file that
 * lives outside the repository. This test reads every comment of the code (with the TypeScript
 * parser, so text inside strings is not taken for a comment) and every Markdown file of the code
 * folders, and checks each citation; it also checks the relative links between the pages of docs/.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/package-root.js';

const ROOT = packageRoot();
const CODE_DIRS = ['src', 'documents', 'connectors', 'mappings', 'transforms', 'scripts', 'bench', 'test'];
const CODE_FILE = /\.(ts|mts|js|mjs)$/;

/** Citations of specification files that are not in the repository (the project's old spec folder). */
const OUTSIDE_SPEC: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\/work\/shared\b/, what: 'an absolute path outside the repository' },
  { pattern: /\.\.\/shared\/(contracts|reference|domain)/, what: 'the spec folder outside the repository' },
  { pattern: /(?<![\w/.-])(formats|domain|ministry-hub|remote-signing|vneid|cim)\.md\b/, what: 'a spec file by bare name' },
  { pattern: /(?<![\w/.-]|docs\/)contracts\/[\w-]+\.md/, what: 'a contract outside docs/' },
  { pattern: /(?<!docs\/)\breference\/national-data-dictionary/, what: 'the dictionary outside docs/reference/' },
  { pattern: /\b(UIS|domain) brief\b/, what: 'a brief that is not in the repository' },
];

/** `docs/<path>` with an optional `#anchor`, as comments cite it. */
const DOCS_CITATION = /(?<![\w/.-])docs\/[\w./-]*[\w/](#[\p{L}\p{N}_-]+)?/gu;

/** A repository path in backticks, as the pages of docs/ name the code. */
const CODE_PATH = /`((?:src|documents|connectors|mappings|transforms|scripts|bench|test|jobs|config|docs)\/[^`\s]*)`/g;

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorsCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorsCache.get(file);
  if (anchors === undefined) {
    anchors = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => headingSlug(line.replace(/^#+ /, ''))),
    );
    anchorsCache.set(file, anchors);
  }
  return anchors;
}

/** What is wrong with a target `path#anchor` resolved from `base` (null when it exists). */
function missingTarget(base: string, target: string): string | null {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? base : resolve(dirname(base), path);
  if (!existsSync(file)) return `${relative(ROOT, file)} does not exist`;
  if (anchor !== undefined && anchor !== '') {
    if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${relative(ROOT, file)} has no sections`;
    if (!anchorsOf(file).has(anchor)) return `${relative(ROOT, file)} has no section #${anchor}`;
  }
  return null;
}

/** The problems of one piece of comment text (or Markdown) found in `where`. */
export function citationProblems(text: string, where: string): string[] {
  const problems: string[] = [];
  for (const { pattern, what } of OUTSIDE_SPEC) {
    const m = pattern.exec(text);
    if (m) problems.push(`${where}: cites ${what} ("${m[0]}"): point it at the docs/ page that holds it`);
  }
  for (const m of text.matchAll(DOCS_CITATION)) {
    const target = m[0].replace(/[.]+$/, '');
    const missing = missingTarget(join(ROOT, 'README.md'), target);
    if (missing !== null) problems.push(`${where}: cites ${target}, but ${missing}`);
  }
  return problems;
}

/** Every comment of a source file, with its line, read by the TypeScript parser. */
export function commentsOf(fileName: string, text: string): { line: number; text: string }[] {
  const kind = /\.m?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const seen = new Set<number>();
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    const children = node.getChildren(source);
    if (children.length === 0) {
      // every comment is trivia next to some token: in front of it (the end-of-file token included),
      // or after it on the same line (which TypeScript does not count as the next token's)
      const ranges = [...(ts.getLeadingCommentRanges(text, node.pos) ?? []), ...(ts.getTrailingCommentRanges(text, node.end) ?? [])];
      for (const range of ranges) {
        if (seen.has(range.pos)) continue;
        seen.add(range.pos);
        out.push({ line: source.getLineAndCharacterOfPosition(range.pos).line + 1, text: text.slice(range.pos, range.end) });
      }
      return;
    }
    children.forEach(visit);
  };
  visit(source);
  return out;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.split(/[\\/]/).includes('node_modules'))
    .sort();
}

describe('documentation citations', () => {
  it('finds a comment citing a missing docs/ page or section, or a spec outside the repository', () => {
    const sample = [
      '/** see docs/formats/hocba.md#signing-order and docs/nowhere.md */',
      'const url = "docs/also-nowhere.md"; // formats.md, "The signed XML document"',
      '// docs/formats/hocba.md#no-such-section',
      '/* ../shared/contracts/ministry-hub.md */',
    ].join('\n');
    const problems = commentsOf('sample.ts', sample).flatMap((c) => citationProblems(c.text, `sample.ts:${c.line}`));
    expect(problems.join('\n')).toContain('docs/nowhere.md, but docs/nowhere.md does not exist');
    expect(problems.join('\n')).toContain('no section #no-such-section');
    expect(problems.join('\n')).toContain('a spec file by bare name');
    expect(problems.join('\n')).toContain('the spec folder outside the repository');
    // a string is not a comment, and a section that exists is no problem
    expect(problems.join('\n')).not.toContain('also-nowhere');
    expect(problems.join('\n')).not.toContain('#signing-order');
    expect(problems).toHaveLength(4);
  });

  it('every comment in the code cites docs/ pages and sections that exist, and no spec outside the repository', () => {
    const problems: string[] = [];
    let comments = 0;
    for (const dir of CODE_DIRS) {
      for (const file of filesUnder(join(ROOT, dir), (n) => CODE_FILE.test(n) && !n.endsWith('.d.ts'))) {
        for (const c of commentsOf(file, readFileSync(file, 'utf8'))) {
          comments += 1;
          problems.push(...citationProblems(c.text, `${relative(ROOT, file)}:${c.line}`));
        }
      }
    }
    expect(comments).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  });

  it('the Markdown of the code folders cites no spec outside the repository, and its links resolve', () => {
    const problems: string[] = [];
    const markdown = [...CODE_DIRS.flatMap((d) => filesUnder(join(ROOT, d), (n) => n.endsWith('.md'))), join(ROOT, 'README.md')];
    for (const file of markdown) problems.push(...linkProblems(file));
    expect(problems).toEqual([]);
  });

  it('the pages of docs/ link to pages and sections that exist', () => {
    const pages = filesUnder(join(ROOT, 'docs'), (n) => n.endsWith('.md'));
    expect(pages.map((p) => relative(ROOT, p))).toEqual(expect.arrayContaining(['docs/architecture.md', 'docs/contracts/ministry-hub.md']));
    expect(pages.flatMap((p) => linkProblems(p, { specCitations: false }))).toEqual([]);
  });

  it('the code paths the pages of docs/ name exist (a moved file is a page to update)', () => {
    const problems: string[] = [];
    for (const page of filesUnder(join(ROOT, 'docs'), (n) => n.endsWith('.md'))) {
      for (const m of readFileSync(page, 'utf8').matchAll(CODE_PATH)) {
        const path = (m[1] ?? '').split('#')[0] ?? '';
        if (/[<*{]/.test(path)) continue; // a pattern (`mappings/<format>/<version>/`, `src/sample/uis*.ts`)
        if (!existsSync(join(ROOT, path))) problems.push(`${relative(ROOT, page)}: names ${path}, which does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/**
 * Relative Markdown links `](target)` of one Markdown file, and (outside docs/, whose own pages link
 * to each other by relative paths) citations of specs outside the repository.
 */
function linkProblems(file: string, options: { specCitations: boolean } = { specCitations: true }): string[] {
  const text = readFileSync(file, 'utf8');
  const where = relative(ROOT, file);
  const problems = options.specCitations ? OUTSIDE_SPEC.filter(({ pattern }) => pattern.test(text)).map(({ what }) => `${where}: cites ${what}`) : [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] ?? '';
    if (/^[a-z]+:/i.test(target)) continue;
    const missing = missingTarget(file, target);
    if (missing !== null) problems.push(`${where}: links to ${target}, but ${missing}`);
  }
  return problems;
}
