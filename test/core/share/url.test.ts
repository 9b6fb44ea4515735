import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRoute,
  safeLinkHref,
  shareRoute,
  tutorialRoute,
} from '../../../src/core/share/index.ts';

describe('safeLinkHref', () => {
  it('allows http(s), mailto and the app’s routes', () => {
    expect(safeLinkHref('https://arxiv.org/abs/2307.02275')).toBe(
      'https://arxiv.org/abs/2307.02275',
    );
    expect(safeLinkHref('HTTP://Example.org')).toBe('http://example.org/');
    expect(safeLinkHref('  https://github.com/f-dangel/einconv  ')).toBe(
      'https://github.com/f-dangel/einconv',
    );
    expect(safeLinkHref('mailto:someone@example.org')).toBe('mailto:someone@example.org');
    expect(safeLinkHref('#/tutorial/differentiation')).toBe('#/tutorial/differentiation');
    expect(safeLinkHref('#/s/1AbC+-$')).toBe('#/s/1AbC+-$');
  });

  it('refuses every other scheme and the tricks that hide one', () => {
    const refused = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'java\u0000script:alert(1)',
      'jav&#x61;script:alert(1)',
      'javascript%3Aalert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      '//evil.example.org',
      '/relative/path',
      '../up',
      'tutorial.md',
      '#anchor',
      '#/"onmouseover="alert(1)',
      'https://',
      'http:// spaced.org',
      'mailto:a@b.c"onclick="x',
      '',
      'x'.repeat(3000),
    ];
    for (const href of refused) expect(safeLinkHref(href), href).toBeNull();
    expect(safeLinkHref(undefined)).toBeNull();
    expect(safeLinkHref(42)).toBeNull();
  });

  it('only ever returns web, mail or route links', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.string().map((s) => `javascript:${s}`),
        ),
        (href) => {
          const safe = safeLinkHref(href);
          if (safe !== null) expect(safe).toMatch(/^(https?:\/\/[^\s]|mailto:|#\/)/i);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('routes', () => {
  it('parses the app’s hashes', () => {
    expect(parseRoute('')).toEqual({ kind: 'home' });
    expect(parseRoute('#/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/tutorial/kfc-vs-kfac-reduce')).toEqual({
      kind: 'tutorial',
      slug: 'kfc-vs-kfac-reduce',
    });
    expect(parseRoute('#/tutorial/kfc-vs-kfac-reduce/')).toEqual({
      kind: 'tutorial',
      slug: 'kfc-vs-kfac-reduce',
    });
    expect(parseRoute('#/s/1abc')).toEqual({ kind: 'share', payload: '1abc' });
    expect(parseRoute('#/tutorial/../../secret')).toMatchObject({ kind: 'invalid' });
    expect(parseRoute('#/tutorial/<script>')).toMatchObject({
      kind: 'invalid',
      error: expect.stringMatching(/not a tutorial name/),
    });
    expect(parseRoute('#/admin')).toMatchObject({
      kind: 'invalid',
      error: "unknown address '/admin'",
    });
    expect(parseRoute('#'.repeat(200_000))).toMatchObject({
      kind: 'invalid',
      error: expect.stringMatching(/limit/),
    });
    expect(tutorialRoute('tensor-dropout')).toBe('#/tutorial/tensor-dropout');
    expect(() => tutorialRoute('Bad Slug')).toThrow();
    expect(shareRoute('1xyz')).toBe('#/s/1xyz');
  });
});
