import { describe, expect, it } from 'vitest';
import { printableText, quoteCharacter, quoteText } from '../../src/core/quoteText.ts';

describe('text quoted in one-line messages', () => {
  it('writes line breaks, controls and invisible characters as code points', () => {
    expect(quoteText('backe\nd')).toBe("'backeU+000Ad'");
    expect(printableText('a\u0000b\u2028c\u200bd\te')).toBe('aU+0000bU+2028cU+200BdU+0009e');
    expect(printableText('\ud800x')).toBe('U+D800x');
    expect(quoteCharacter('\n')).toBe('U+000A');
  });

  it('keeps visible text, spaces and non-Latin names as they are', () => {
    expect(quoteText('kernel leg Π₁ δ')).toBe("'kernel leg Π₁ δ'");
    expect(quoteCharacter('<')).toBe("'<'");
    expect(quoteCharacter('😀')).toBe("'😀'");
  });

  it('cuts long text', () => {
    expect(printableText('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
