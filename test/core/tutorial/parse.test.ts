import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseTutorial,
  renderMarkdown,
  slugFromPath,
  tutorialIndex,
} from '../../../src/core/tutorial/index.ts';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, reportFuzz } from '../../helpers/fuzz.ts';

const LAYER =
  '{"batch": 1, "inChannels": 2, "outChannels": 2, "input": [5, 5], "kernel": [3, 3], "stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "groups": 1, "outputPadding": [0, 0]}';
const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\``;
const diagram = (extra = '') =>
  fence(
    'einsketch-diagram',
    `{${extra}"source": {"kind": "preset", "op": "conv_forward", "layer": ${LAYER}}}`,
  );

describe('tutorial parser', () => {
  it('reads title, summary, prose, diagram and run cells', () => {
    const text = [
      '# A tutorial',
      '',
      'The summary paragraph,',
      'on two lines with $x$.',
      '',
      '## Section',
      '',
      diagram('"id": "d", "title": "conv", '),
      '',
      'Between the cells.',
      '',
      fence('einsketch-run', '{"seed": 3}'),
      '',
      '```python',
      'print("a plain code block stays prose")',
      '```',
    ].join('\n');
    const t = parseTutorial(text, { slug: 'demo' });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.title).toBe('A tutorial');
    expect(t.summary).toBe('The summary paragraph, on two lines with $x$.');
    expect(t.doc.cells.map((c) => [c.kind, c.id])).toEqual([
      ['prose', 'text-1'],
      ['diagram', 'd'],
      ['prose', 'text-2'],
      ['run', 'run-3'],
      ['prose', 'text-4'],
    ]);
    expect(t.doc.cells[0]).toMatchObject({
      text: 'The summary paragraph,\non two lines with $x$.\n\n## Section',
    });
    expect(t.doc.cells[3]).toMatchObject({ diagram: 'd', seed: 3, repeats: 5 });
    expect(t.doc.cells[4]).toMatchObject({
      text: '```python\nprint("a plain code block stays prose")\n```',
    });
    expect(parseTutorial(text.replace(/\n/g, '\r\n')).ok).toBe(true);
  });

  it('reads chart cells and run cells that estimate another diagram', () => {
    const text = [
      '# T',
      '',
      'Summary.',
      '',
      diagram('"id": "exact", '),
      diagram('"id": "approx", '),
      fence('einsketch-run', '{"id": "r", "estimates": "exact", "inputs": "smooth"}'),
      fence('einsketch-chart', '{"title": "error", "series": [{"label": "a", "runs": ["r"]}]}'),
    ].join('\n');
    const t = parseTutorial(text);
    if (!t.ok) throw new Error(t.error);
    expect(t.doc.cells.find((c) => c.id === 'r')).toMatchObject({
      kind: 'run',
      diagram: 'approx',
      estimates: 'exact',
      inputs: 'smooth',
    });
    expect(t.doc.cells.find((c) => c.kind === 'chart')).toMatchObject({
      kind: 'chart',
      x: 'relativeCost',
      y: 'relativeError',
      series: [{ label: 'a', runs: ['r'] }],
    });
  });

  it('names the line of every error', () => {
    const cases: [string, number, RegExp][] = [
      ['no title\n', 1, /starts with its title/],
      ['\n\n## Not level one\n', 3, /starts with its title/],
      [
        '# T\n\n```einsketch-diagram\n{\n  "source": {\n    "kind": "preset",\n    "op": conv_forward\n  }\n}\n```\n',
        7,
        /unexpected "c" in the JSON/,
      ],
      ['# T\n\n```einsketch-diagram\n{"source": \n```\n', 5, /the JSON ends too early/],
      ['# T\n\n```einsketch-diagram\n[1, 2]\n```\n', 4, /expected a JSON object/],
      ['# T\n\ntext\n\n```einsketch-plot\n{}\n```\n', 5, /unknown block 'einsketch-plot'/],
      ['# T\n\n```einsketch-diagram\n{}\n', 3, /never closed/],
      [`# T\n\n${fence('einsketch-run', '{}')}\n`, 3, /no diagram above it to run/],
      [
        `# T\n\n${diagram()}\n\n${fence('einsketch-run', '{"diagram": "other"}')}\n`,
        7,
        /'other' is not a diagram above/,
      ],
      [
        `# T\n\n${diagram('"id": "d", ')}\n\n${diagram('"id": "d", ')}\n`,
        7,
        /the id 'd' is used twice/,
      ],
      [
        `# T\n\n${fence('einsketch-diagram', '{"source": {"kind": "preset", "op": "conv_forward", "layer": {}}}')}\n`,
        3,
        /source\.layer\.batch/,
      ],
      [
        `# T\n\n${fence('einsketch-diagram', '{"kind": "run", "source": {}}')}\n`,
        3,
        /'kind' must be 'diagram'/,
      ],
      [`# T\n\n- item\n\n  ${diagram().replace(/\n/g, '\n  ')}\n`, 5, /must not be nested/],
      [
        `# T\n\n${diagram()}\n\n${fence('einsketch-run', '{"estimates": "exact"}')}\n`,
        7,
        /'exact' is not a diagram above/,
      ],
      [
        `# T\n\n${diagram()}\n\n${fence('einsketch-run', '{"id": "r"}')}\n\n${fence('einsketch-chart', '{"series": [{"label": "a", "runs": ["r", "q"]}]}')}\n`,
        11,
        /'q' is not a run cell above/,
      ],
      [
        `# T\n\n${diagram()}\n\n${fence('einsketch-run', '{"id": "r"}')}\n\n${fence('einsketch-chart', '{"y": "speed", "series": [{"label": "a", "runs": ["r"]}]}')}\n`,
        11,
        /einsketch-chart block: y: /,
      ],
    ];
    for (const [text, line, pattern] of cases) {
      const t = parseTutorial(text, { slug: 'bad' });
      expect(t, text).toMatchObject({ ok: false, line });
      if (!t.ok) {
        expect(t.error).toMatch(new RegExp(`^tutorials/bad\\.md line ${line}: `));
        expect(t.error).toMatch(pattern);
        expect(t.error).not.toContain('\n');
      }
    }
  });

  it(
    'never throws on random or mutated input',
    () => {
      const outcomes = { parsed: 0, 'clean errors': 0 };
      const base = `# T\n\nIntro $x$.\n\n${diagram('"id": "d", ')}\n\n${fence('einsketch-run', '{"diagram": "d"}')}\n`;
      const mutated = fc
        .tuple(fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 5 }))
        .map(([at, del, ins]) => {
          const k = at % (base.length + 1);
          return base.slice(0, k) + ins + base.slice(k + del);
        });
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated), (text) => {
          const t = parseTutorial(text);
          outcomes[t.ok ? 'parsed' : 'clean errors']++;
          if (!t.ok) expect(t.line).toBeGreaterThanOrEqual(1);
        }),
        fuzzParameters(1500),
      );
      reportFuzz('tutorial parser', outcomes);
      expect(parseTutorial('x'.repeat(500_000))).toMatchObject({
        ok: false,
        error: expect.stringMatching(/limit/),
      });
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('lists tutorials in reading order', () => {
    const sources = {
      'tensor-dropout': '# Dropout\n\nSampling.\n',
      'convolution-as-tensor-network': '# Conv\n\nFirst one.\n',
      'zz-extra': '# Extra\n\nLast.\n',
      broken: 'no title',
    };
    expect(tutorialIndex(sources)).toEqual([
      { slug: 'convolution-as-tensor-network', title: 'Conv', summary: 'First one.' },
      { slug: 'tensor-dropout', title: 'Dropout', summary: 'Sampling.' },
      {
        slug: 'broken',
        title: 'broken',
        summary: '',
        error: expect.stringMatching(/^tutorials\/broken\.md line 1/),
      },
      { slug: 'zz-extra', title: 'Extra', summary: 'Last.' },
    ]);
    expect(slugFromPath('/tutorials/differentiation.md')).toBe('differentiation');
    expect(slugFromPath('../tutorials/Bad Name.md')).toBeNull();
  });
});

describe('renderMarkdown', () => {
  it('renders CommonMark with math', () => {
    const html = renderMarkdown(
      '# Title\n\nInline $\\Pi_{k,o,i}$ and display:\n\n$$\nO = 1 + \\lfloor x \\rfloor\n$$\n',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toMatch(/<span class="katex">.*Π/s);
    expect(html).toContain('<div class="math-block"><span class="katex-display">');
    const deferred = renderMarkdown('a $x<y$ b', { math: 'tex' });
    expect(deferred).toBe(
      '<p>a <span class="math math-inline" data-tex="x&lt;y">x&lt;y</span> b</p>\n',
    );
  });

  it('keeps dollar amounts and escaped dollars as text', () => {
    expect(renderMarkdown('costs $5 and $6', { math: 'tex' })).toBe('<p>costs $5 and $6</p>\n');
    expect(renderMarkdown('a \\$ b $ c', { math: 'tex' })).toBe('<p>a $ b $ c</p>\n');
  });

  it('renders hostile input inert', () => {
    const html = renderMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html,x) [d](vbscript:x)',
        '![img](https://example.org/track.png)',
        '<a href="javascript:alert(1)">raw</a>',
        '$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$ $\\htmlClass{x}{y}$',
        '[ok](https://arxiv.org/abs/2307.02275) [route](#/tutorial/differentiation) <https://autolink.example.org>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|<img|<[^>]*\son\w+=|href="(javascript|data|vbscript)/i);
    expect(html).not.toMatch(/href="[^"]*javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain(
      '<a href="https://arxiv.org/abs/2307.02275" target="_blank" rel="noopener noreferrer nofollow">ok</a>',
    );
    expect(html).toContain('<a href="#/tutorial/differentiation">route</a>');
  });

  it(
    'renders any text without throwing',
    () => {
      let tried = 0;
      fc.assert(
        fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
          tried++;
          const html = renderMarkdown(text);
          expect(html).not.toMatch(/<script|<img|<[^>]*\son\w+=|href="(javascript|data|vbscript)/i);
        }),
        fuzzParameters(500),
      );
      reportFuzz('Markdown renderer', { tried });
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
